"""nn Module facts from PyTorch: reprs, parameter/buffer/state_dict names, counts and error texts.

Writes <out>/nn/module_facts.safetensors: the facts as JSON in the metadata entry "facts" (so check_fixtures.py
compares them), plus the parameter count of each model as tensor "numel". Models are the article's listings (ARTICLE.md); values that depend on the
random stream are not recorded, only structure and text.
"""
import json
import pathlib
from collections import OrderedDict

import torch
import torch.nn as nn
from safetensors.torch import save_file


class CustomModule(nn.Module):
    def __init__(self, input_dim, hidden_dim, output_dim):
        super().__init__()
        self.linear1 = nn.Linear(input_dim, hidden_dim)
        self.linear2 = nn.Linear(hidden_dim, output_dim)
        self.register_buffer('running_mean', torch.zeros(hidden_dim))
        self.register_buffer('running_var', torch.ones(hidden_dim))
        self.custom_attribute = "This is not a parameter"

    def forward(self, x):
        x = self.linear1(x)
        x = (x - self.running_mean) / torch.sqrt(self.running_var + 1e-5)
        return self.linear2(x)


class DynamicNetwork(nn.Module):
    def __init__(self, max_depth=5):
        super().__init__()
        self.max_depth = max_depth
        self.layers = nn.ModuleList([
            nn.Sequential(nn.Linear(10, 20), nn.ReLU(), nn.Linear(20, 10)) for _ in range(max_depth)])
        self.gates = nn.Parameter(torch.randn(max_depth))


class ParameterManagementModule(nn.Module):
    def __init__(self, param_shapes):
        super().__init__()
        self.param_list = nn.ParameterList()
        self.param_dict = nn.ParameterDict()
        for i, shape in enumerate(param_shapes):
            self.param_list.append(nn.Parameter(torch.randn(*shape)))
            self.param_dict[f'param_{i}'] = nn.Parameter(torch.randn(*shape))
        self.layer1 = nn.Linear(10, 20)
        self.layer2 = nn.Linear(20, 10)
        self.layer2.weight = nn.Parameter(self.layer1.weight.t())


class TraditionalModule(nn.Module):
    def __init__(self, num_layers):
        super().__init__()
        self.layers = nn.ModuleList([nn.Linear(10, 10) for _ in range(num_layers)])


class ParameterEfficientModule(nn.Module):
    def __init__(self, num_layers):
        super().__init__()
        self.weights = nn.ParameterList([nn.Parameter(torch.randn(10, 10)) for _ in range(num_layers)])
        self.biases = nn.ParameterList([nn.Parameter(torch.zeros(10)) for _ in range(num_layers)])


class TiedForContrast(nn.Module):
    def __init__(self):
        super().__init__()
        self.layer1 = nn.Linear(10, 20)
        self.bias2 = nn.Parameter(torch.zeros(10))


def sequential_31():
    return nn.Sequential(nn.Linear(100, 200), nn.ReLU(), nn.Dropout(0.1), nn.Linear(200, 100), nn.Sigmoid())


class ComplexNetwork(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = nn.ModuleList([nn.Linear(100, 150), nn.Linear(150, 200), nn.Linear(200, 150),
                                     nn.Linear(150, 100)])
        self.activations = nn.ModuleList([nn.ReLU(), nn.LeakyReLU(0.1), nn.ELU(), nn.Identity()])


class MultiHeadNetwork(nn.Module):
    def __init__(self):
        super().__init__()
        self.heads = nn.ModuleDict({
            'classification': nn.Sequential(nn.Linear(100, 50), nn.ReLU(), nn.Linear(50, 10)),
            'regression': nn.Sequential(nn.Linear(100, 50), nn.ReLU(), nn.Linear(50, 1)),
            'embedding': nn.Sequential(nn.Linear(100, 200), nn.Tanh())})


class HierarchicalModule(nn.Module):
    def __init__(self, depth=3, width=5):
        super().__init__()
        self.depth = depth
        self.width = width
        if depth > 0:
            self.children_modules = nn.ModuleList([HierarchicalModule(depth - 1, width) for _ in range(width)])
            self.combine_layer = nn.Linear(width * 10, 10)
        else:
            self.leaf_layer = nn.Sequential(nn.Linear(10, 20), nn.ReLU(), nn.Linear(20, 10))

    def apply_to_all(self, func):
        func(self)
        if self.depth > 0:
            for child in self.children_modules:
                child.apply_to_all(func)


def add_dropout(module):
    if hasattr(module, 'leaf_layer'):
        module.leaf_layer.add_module('dropout', nn.Dropout(0.1))


class SampleModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(10, 20), nn.ReLU(), nn.Linear(20, 20), nn.ReLU(), nn.Linear(20, 1))


def describe(m, full=True):
    if not full:
        return {"numel": sum(p.numel() for p in m.parameters()), "modules": len(list(m.modules())),
                "state_dict_len": len(m.state_dict())}
    return {
        "repr": repr(m),
        "parameters": [[n, list(p.shape)] for n, p in m.named_parameters()],
        "buffers": [n for n, _ in m.named_buffers()],
        "state_dict": list(m.state_dict().keys()),
        "modules": [[n, type(x).__name__] for n, x in m.named_modules()],
        "numel": sum(p.numel() for p in m.parameters()),
    }


def error(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - the text is what we record
        return str(e) if not isinstance(e, KeyError) else e.args[0]
    raise AssertionError("expected an error")


def errors():
    out = {}
    seq = nn.Sequential(nn.Linear(4, 4), nn.ReLU())
    out["add_module_dot"] = error(lambda: seq.add_module("a.b", nn.ReLU()))
    out["add_module_empty"] = error(lambda: seq.add_module("", nn.ReLU()))
    lin = nn.Linear(2, 2)
    out["register_parameter_empty"] = error(lambda: lin.register_parameter("", None))
    out["register_parameter_dot"] = error(lambda: lin.register_parameter("a.b", None))
    out["register_buffer_exists"] = error(lambda: lin.register_buffer("weight", torch.zeros(1)))
    out["register_buffer_empty"] = error(lambda: lin.register_buffer("", torch.zeros(1)))
    out["add_module_exists"] = error(lambda: lin.add_module("weight", nn.ReLU()))
    out["seq_index"] = error(lambda: seq[5])
    ml = nn.ModuleList([nn.ReLU()])
    out["modulelist_index"] = error(lambda: ml[5])
    out["modulelist_call"] = error(lambda: ml(torch.zeros(1)))
    out["traditional_call"] = error(lambda: TraditionalModule(4)(torch.randn(2, 10)))
    md = nn.ModuleDict({"a": nn.ReLU()})
    out["moduledict_key"] = error(lambda: md["missing"])
    out["seq_insert"] = error(lambda: seq.insert(7, nn.ReLU()))
    out["get_submodule"] = error(lambda: seq.get_submodule("0.foo"))
    out["get_submodule_not_module"] = error(lambda: seq.get_submodule("0.weight"))
    out["get_parameter"] = error(lambda: seq.get_parameter("0.foo"))
    out["get_buffer_not_buffer"] = error(lambda: seq.get_buffer("0.weight"))
    sd = seq.state_dict()
    del sd["0.bias"]
    sd["extra"] = torch.zeros(1)
    out["load_missing_unexpected"] = error(lambda: seq.load_state_dict(sd))
    sd2 = nn.Sequential(nn.Linear(4, 3), nn.ReLU()).state_dict()
    out["load_size_mismatch"] = error(lambda: seq.load_state_dict(sd2))
    res = seq.load_state_dict(sd, strict=False)
    out["non_strict_result"] = {"missing": res.missing_keys, "unexpected": res.unexpected_keys, "repr": repr(res)}
    out["all_matched_repr"] = repr(seq.load_state_dict(seq.state_dict()))
    return out


def cnn():
    # No bias before the BatchNorm: its true gradient would be 0, so the fixture would hold rounding noise.
    return nn.Sequential(nn.Conv2d(1, 4, 3, padding=1, bias=False), nn.BatchNorm2d(4), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(4, 8, 3), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(8, 10))


def mlp():
    return nn.Sequential(nn.Linear(10, 32), nn.LayerNorm(32), nn.SiLU(), nn.Linear(32, 16), nn.LeakyReLU(0.1),
                         nn.Linear(16, 16), nn.ELU(), nn.Linear(16, 3))


class Tree(nn.Module):
    """Listing 3.2's HierarchicalModule with a forward, depth 2, width 2."""

    def __init__(self, depth=2, width=2):
        super().__init__()
        self.depth = depth
        if depth > 0:
            self.children_modules = nn.ModuleList([Tree(depth - 1, width) for _ in range(width)])
            self.combine_layer = nn.Linear(width * 10, 10)
        else:
            self.leaf_layer = nn.Sequential(nn.Linear(10, 20), nn.ReLU(), nn.Linear(20, 10))

    def forward(self, x):
        if self.depth > 0:
            return self.combine_layer(torch.cat([c(x) for c in self.children_modules], dim=-1))
        return self.leaf_layer(x)


def model_case(path, model, x, loss_fn, target):
    """The state dict before the step, input, output, loss, parameter grads, buffers after a training forward."""
    tensors = {"sd." + k: v.detach().clone().contiguous() for k, v in model.state_dict().items()}
    out = model(x)
    loss = loss_fn(out, target)
    loss.backward()
    tensors.update({"x0": x, "target": target, "out": out.detach(), "loss": loss.detach()})
    tensors.update({"grad." + n: p.grad.detach().clone() for n, p in model.named_parameters()})
    tensors.update({"after." + k: v.detach().clone() for k, v in model.named_buffers()})
    model.eval()
    with torch.no_grad():
        tensors["out_eval"] = model(x)
    save_file(tensors, str(path))


def generate(out_dir: pathlib.Path) -> None:
    torch.manual_seed(0)
    facts = {}
    models = {
        "CustomModule": CustomModule(10, 20, 5),
        "DynamicNetwork": DynamicNetwork(5),
        "ParameterManagementModule": ParameterManagementModule([(10,), (5, 5)]),
        "TraditionalModule": TraditionalModule(4),
        "ParameterEfficientModule": ParameterEfficientModule(4),
        "TiedForContrast": TiedForContrast(),
        "Sequential31": sequential_31(),
        "ComplexNetwork": ComplexNetwork(),
        "MultiHeadNetwork": MultiHeadNetwork(),
        "Hierarchical32": HierarchicalModule(3, 2),
        "Hierarchical35": HierarchicalModule(),
        "SampleModel": SampleModel(),
    }
    h = HierarchicalModule(1, 2)
    h.apply_to_all(add_dropout)
    h.apply_to_all(add_dropout)
    models["Hierarchical12Dropout"] = h
    facts["models"] = {k: describe(v, not k.startswith("Hierarchical3")) for k, v in models.items()}
    layers = {
        "Linear": nn.Linear(100, 200), "LinearNoBias": nn.Linear(3, 4, bias=False), "Identity": nn.Identity(),
        "Flatten": nn.Flatten(), "Unflatten": nn.Unflatten(1, (2, 5)), "ReLU": nn.ReLU(), "Sigmoid": nn.Sigmoid(),
        "Tanh": nn.Tanh(), "Dropout": nn.Dropout(0.1), "LeakyReLU": nn.LeakyReLU(0.1), "ELU": nn.ELU(),
        "ParameterList": nn.ParameterList([nn.Parameter(torch.zeros(10)), nn.Parameter(torch.zeros(5, 5))]),
        "ParameterDict": nn.ParameterDict({"param_0": nn.Parameter(torch.zeros(10))}),
        "ModuleListMixed": nn.ModuleList([nn.Linear(2, 2), nn.Linear(2, 2), nn.ReLU(), nn.Linear(2, 2),
                                          nn.Linear(2, 2), nn.Linear(2, 2)]),
        "ModuleListEmpty": nn.ModuleList(),
        "SequentialNamed": nn.Sequential(OrderedDict([("fc", nn.Linear(2, 3)), ("act", nn.ReLU())])),
        "Bilinear": nn.Bilinear(3, 4, 5), "Conv1d": nn.Conv1d(3, 8, 3), "Conv2d": nn.Conv2d(3, 8, 3),
        "Conv2dStridePad": nn.Conv2d(3, 8, 3, stride=2, padding=1),
        "Conv2dFull": nn.Conv2d(4, 8, (3, 5), stride=(1, 2), padding=(1, 0), dilation=(2, 1), groups=2, bias=False),
        "MaxPool2d": nn.MaxPool2d(2), "MaxPool2dFull": nn.MaxPool2d(3, 2, 1), "AvgPool2d": nn.AvgPool2d(2),
        "AdaptiveAvgPool2d": nn.AdaptiveAvgPool2d(1), "AdaptiveAvgPool2dPair": nn.AdaptiveAvgPool2d((2, 3)),
        "BatchNorm1d": nn.BatchNorm1d(8), "BatchNorm2d": nn.BatchNorm2d(8),
        "BatchNorm2dCumulative": nn.BatchNorm2d(8, momentum=None, affine=False),
        "LayerNorm": nn.LayerNorm(10), "LayerNorm2": nn.LayerNorm((4, 5), eps=1e-6, elementwise_affine=False),
        "Embedding": nn.Embedding(10, 3), "EmbeddingPad": nn.Embedding(10, 3, padding_idx=0),
        "GELU": nn.GELU(), "GELUTanh": nn.GELU("tanh"), "SELU": nn.SELU(), "SiLU": nn.SiLU(),
        "Softmax": nn.Softmax(dim=1), "LogSoftmax": nn.LogSoftmax(dim=-1), "MSELoss": nn.MSELoss(),
        "L1Loss": nn.L1Loss(), "CrossEntropyLoss": nn.CrossEntropyLoss(), "NLLLoss": nn.NLLLoss(),
        "BCEWithLogitsLoss": nn.BCEWithLogitsLoss(),
    }
    facts["layer_state"] = {k: list(layers[k].state_dict().keys())
                            for k in ("BatchNorm2d", "BatchNorm2dCumulative", "LayerNorm2", "CrossEntropyLoss", "Bilinear")}
    facts["layers"] = {k: repr(v) for k, v in layers.items()}
    seq = nn.Sequential(OrderedDict([("a", nn.ReLU()), ("b", nn.Tanh()), ("c", nn.Sigmoid()), ("d", nn.Identity())]))
    facts["sequential_ops"] = {
        "slice_1_3": repr(seq[1:3]), "slice_neg": repr(seq[-2:]), "slice_step": repr(seq[::2]),
    }
    del seq[1]
    facts["sequential_ops"]["after_del_1"] = repr(seq)
    seq.insert(1, nn.ELU())
    facts["sequential_ops"]["after_insert_1"] = repr(seq)
    seq.append(nn.ReLU())
    facts["sequential_ops"]["after_append"] = repr(seq)
    seq.pop(0)
    facts["sequential_ops"]["after_pop_0"] = repr(seq)
    facts["errors"] = errors()
    path = out_dir / "nn"
    path.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(1)
    model_case(path / "cnn.safetensors", cnn(), torch.randn(4, 1, 8, 8), nn.CrossEntropyLoss(),
               torch.tensor([1, 0, 9, 3]))
    torch.manual_seed(2)
    model_case(path / "mlp.safetensors", mlp(), torch.randn(6, 10), nn.MSELoss(), torch.randn(6, 3))
    torch.manual_seed(3)
    model_case(path / "custom_module.safetensors", CustomModule(10, 20, 5), torch.randn(4, 10), nn.L1Loss(),
               torch.randn(4, 5))
    torch.manual_seed(4)
    model_case(path / "hierarchical.safetensors", Tree(1, 2), torch.randn(4, 10), nn.MSELoss(reduction="sum"),
               torch.randn(4, 10))
    numel = torch.tensor([m["numel"] for _, m in sorted(facts["models"].items())], dtype=torch.int64)
    save_file({"numel": numel}, str(path / "module_facts.safetensors"),
              metadata={"facts": json.dumps(facts, sort_keys=True, separators=(",", ":"))})


if __name__ == "__main__":
    import sys
    generate(pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "library/src/test/resources/fixtures"))
