"""PyTorch's side of test_display: reprs, a grad_fn name and what autograd saves, computed with torch.

`python display_facts.py` rewrites display_facts.json; test_display computes the facts with torch when it is
importable (and checks the file still agrees) and reads the file otherwise (Debian's Python has no torch).
"""
import json
from pathlib import Path

FILE = Path(__file__).resolve().parent / "display_facts.json"


def compute():
    import torch
    import torch.nn as nn
    torch.manual_seed(0)
    facts = {
        "tensor_repr": repr(torch.tensor([[1., 2.], [3., 4.]])),
        "mul_grad_fn": torch.randn(3, requires_grad=True).mul(2).grad_fn.name(),
        "sequential_repr": repr(nn.Sequential(nn.Linear(100, 200), nn.ReLU(), nn.Linear(200, 100))),
        "sequential_params": sum(p.numel() for p in
                                 nn.Sequential(nn.Linear(100, 200), nn.ReLU(), nn.Linear(200, 100)).parameters()),
    }
    net = nn.Sequential(nn.Conv2d(3, 4, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                        nn.Linear(64, 8), nn.ReLU(), nn.Dropout(0.5), nn.Linear(8, 2)).train()
    params = {p.untyped_storage().data_ptr() for p in net.parameters()}
    kept = {}

    def pack(t):
        s = t.untyped_storage()
        if s.data_ptr() not in params:
            kept[s.data_ptr()] = s.nbytes()
        return t

    with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
        net(torch.randn(5, 3, 8, 8))
    facts["cnn_saved_bytes"] = sum(kept.values())
    facts["torch_version"] = torch.__version__
    return facts


def load():
    """The facts from torch when it is here (checked against the file), else from the file."""
    stored = json.loads(FILE.read_text())
    try:
        import torch  # noqa: F401
    except ImportError:
        return stored
    facts = compute()
    for k, v in facts.items():
        if k != "torch_version" and stored.get(k) != v:
            raise AssertionError(f"{FILE.name} is stale for {k}: {stored.get(k)!r} != {v!r}; "
                                 "run python display_facts.py")
    return facts


if __name__ == "__main__":
    FILE.write_text(json.dumps(compute(), indent=1, ensure_ascii=False) + "\n")
    print(f"wrote {FILE}")
