"""End-to-end model fixtures: weights, forward, loss, gradients and 3 optimizer steps, written by PyTorch.

For each model, <name>_weights.safetensors is its initial state_dict and <name>_case.safetensors holds
x, target, out, loss, grad.<param>, buffer.<buffer> (after the training-mode forward), eval_out (eval mode
afterwards), and sgd.<param> / adam.<param> after 3 steps from the initial weights on the same batch.
The metadata lists the state_dict keys and parameter names in PyTorch's order (safetensors sorts its keys).
"""
import pathlib

import torch
import torch.nn as nn
from safetensors.torch import save_file

FAMILY = "models"
STEPS = 3


class CustomModule(nn.Module):
    """ARTICLE.md §1.1."""

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


class HierarchicalModule(nn.Module):
    """ARTICLE.md §3.2."""

    def __init__(self, depth=3, width=5):
        super().__init__()
        self.depth = depth
        self.width = width
        if depth > 0:
            self.children_modules = nn.ModuleList([HierarchicalModule(depth - 1, width) for _ in range(width)])
            self.combine_layer = nn.Linear(width * 10, 10)
        else:
            self.leaf_layer = nn.Sequential(nn.Linear(10, 20), nn.ReLU(), nn.Linear(20, 10))

    def forward(self, x):
        if self.depth > 0:
            return self.combine_layer(torch.cat([child(x) for child in self.children_modules], dim=-1))
        return self.leaf_layer(x)


def _custom():
    m = CustomModule(10, 20, 5)
    # The article's buffers (0 and 1) make the normalisation a near no-op; other values make loading them observable.
    with torch.no_grad():
        m.running_mean.uniform_(-0.5, 0.5)
        m.running_var.uniform_(0.5, 2.0)
    return m


# name -> (model factory, input shape, loss kind, number of classes or target shape)
MODELS = {
    "mlp": (lambda: nn.Sequential(nn.Linear(6, 8), nn.ReLU(), nn.Linear(8, 3)), (5, 6), "cross_entropy", 3),
    # A conv that feeds a BatchNorm has no bias (as in real code): BatchNorm subtracts each channel's mean, so that
    # bias's true gradient is 0 and what PyTorch computes for it is rounding noise, which Adam turns into full
    # learning-rate steps of a machine-dependent sign.
    "cnn": (lambda: nn.Sequential(nn.Conv2d(1, 4, 3, padding=1, bias=False), nn.BatchNorm2d(4), nn.ReLU(), nn.MaxPool2d(2),
                                  nn.Flatten(), nn.Linear(4 * 4 * 4, 3)), (8, 1, 8, 8), "cross_entropy", 3),
    "custom": (_custom, (4, 10), "mse", (4, 5)),
    "hierarchical": (lambda: HierarchicalModule(depth=2, width=2), (3, 10), "mse", (3, 10)),
}


def _loss(kind, out, target):
    return nn.functional.cross_entropy(out, target) if kind == "cross_entropy" else nn.functional.mse_loss(out, target)


def _train(factory, initial, x, target, kind, make_opt):
    model = factory()
    model.load_state_dict(initial)
    opt = make_opt(model.parameters())
    for _ in range(STEPS):
        opt.zero_grad()
        _loss(kind, model(x), target).backward()
        opt.step()
    return model


def _case(name, factory, in_shape, kind, target_spec, out_dir, seed):
    torch.manual_seed(seed)
    model = factory()
    initial = {k: v.detach().clone() for k, v in model.state_dict().items()}
    g = torch.Generator().manual_seed(seed + 1)
    x = torch.randn(in_shape, generator=g)
    if kind == "cross_entropy":
        target = torch.randint(0, target_spec, (in_shape[0],), generator=g)
    else:
        target = torch.randn(target_spec, generator=g)

    out = model(x)
    loss = _loss(kind, out, target)
    loss.backward()
    case = {"x": x, "target": target, "out": out, "loss": loss}
    for n, p in model.named_parameters():
        case[f"grad.{n}"] = p.grad
    for n, b in model.named_buffers():
        case[f"buffer.{n}"] = b
    model.eval()
    with torch.no_grad():
        case["eval_out"] = model(x)

    sgd = _train(factory, initial, x, target, kind, lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9))
    adam = _train(factory, initial, x, target, kind, lambda p: torch.optim.Adam(p, lr=1e-2))
    for n, p in sgd.named_parameters():
        case[f"sgd.{n}"] = p
    for n, p in adam.named_parameters():
        case[f"adam.{n}"] = p

    meta = {
        "loss": kind,
        "state_dict_keys": ",".join(initial),
        "parameters": ",".join(n for n, _ in model.named_parameters()),
        "buffers": ",".join(n for n, _ in model.named_buffers()),
        "num_parameters": str(sum(p.numel() for p in model.parameters())),
        "steps": str(STEPS),
        "sgd": "lr=0.1,momentum=0.9",
        "adam": "lr=0.01",
    }
    d = pathlib.Path(out_dir) / FAMILY
    d.mkdir(parents=True, exist_ok=True)
    save_file({k: v.contiguous() for k, v in initial.items()}, str(d / f"{name}_weights.safetensors"), metadata=meta)
    save_file({k: v.detach().clone().contiguous() for k, v in case.items()}, str(d / f"{name}_case.safetensors"),
              metadata=meta)


def generate(out_dir: pathlib.Path) -> None:
    for seed, (name, (factory, in_shape, kind, target_spec)) in enumerate(MODELS.items()):
        _case(name, factory, in_shape, kind, target_spec, out_dir, seed)
