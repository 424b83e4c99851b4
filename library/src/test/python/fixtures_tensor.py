"""Forward values and gradients of the Tensor ops, and PyTorch's repr of tensors, for TensorFixtureTest.

Each op case stores its inputs x0, x1, ..., the output `out`, the upstream gradient `grad_out` and the
gradients grad_x0, ... of the float inputs. Non-tensor arguments are metadata; TensorFixtureTest holds
one Java line per case that runs the same op.
"""
import pathlib

import torch

from fixturelib import save_case, with_grads

FAMILY = "tensor"


def _op(out_dir, case, fn, inputs, **meta):
    saved = with_grads(lambda **kw: fn(*[kw[f"x{i}"] for i in range(len(kw))]), {f"x{i}": t for i, t in enumerate(inputs)})
    save_case(out_dir, FAMILY, case, saved, **meta)


def _ops(out_dir, g):
    def randn(*shape):
        return torch.randn(*shape, generator=g)

    def pos(*shape):
        return torch.rand(*shape, generator=g) * 1.5 + 0.5

    def away(t, point=0.0, margin=0.05):
        t = t.clone()
        near = (t - point).abs() < margin
        t[near] = point + torch.where(t[near] >= point, 2 * margin, -2 * margin)
        return t

    # broadcasting binary ops
    _op(out_dir, "add", lambda a, b: a + b, [randn(2, 3), randn(3)])
    _op(out_dir, "sub", lambda a, b: a - b, [randn(2, 1), randn(1, 3)])
    _op(out_dir, "mul", lambda a, b: a * b, [randn(4, 1, 3), randn(2, 3)])
    _op(out_dir, "div", lambda a, b: a / b, [randn(2, 3), pos(3)])
    _op(out_dir, "pow", lambda a, b: a ** b, [pos(2, 3), randn(2, 1)])
    _op(out_dir, "maximum", lambda a, b: torch.maximum(a, b), [randn(2, 3), randn(3)])
    _op(out_dir, "minimum", lambda a, b: torch.minimum(a, b), [randn(2, 3), randn(2, 1)])
    _op(out_dir, "add_scalar", lambda a: a + 2.5, [randn(2, 3)])
    _op(out_dir, "rsub_scalar", lambda a: 2.5 - a, [randn(2, 3)])
    _op(out_dir, "rdiv_scalar", lambda a: 2.0 / a, [pos(2, 3)])
    _op(out_dir, "pow_scalar", lambda a: a ** 3, [randn(2, 3)])
    _op(out_dir, "pow_fractional", lambda a: a ** -1.5, [pos(2, 3)])

    # unary
    for name in ["neg", "exp", "expm1", "sin", "cos", "sigmoid", "tanh"]:
        _op(out_dir, name, getattr(torch, name), [randn(3, 4)])
    for name in ["log", "log1p", "sqrt", "rsqrt", "reciprocal"]:
        _op(out_dir, name, getattr(torch, name), [pos(3, 4)])
    for name in ["abs", "relu", "sign"]:
        _op(out_dir, name, getattr(torch, name), [away(randn(3, 4))])
    _op(out_dir, "clamp", lambda a: a.clamp(-0.5, 0.5), [away(away(randn(3, 4), -0.5), 0.5)], min="-0.5", max="0.5")

    # reductions
    x = randn(3, 4)
    _op(out_dir, "sum_dim", lambda a: a.sum(1), [x], dim="1")
    _op(out_dir, "mean_dim_keepdim", lambda a: a.mean(0, keepdim=True), [x], dim="0")
    _op(out_dir, "var_all", lambda a: a.var(), [randn(3, 4)])
    _op(out_dir, "var_dim_biased", lambda a: a.var(1, unbiased=False), [randn(3, 4)], dim="1", unbiased="false")
    _op(out_dir, "std_all", lambda a: a.std(), [randn(3, 4)])
    _op(out_dir, "std_dim_keepdim", lambda a: a.std(0, keepdim=True), [randn(3, 4)], dim="0", unbiased="true")
    _op(out_dir, "prod_dim", lambda a: a.prod(1), [randn(3, 4)], dim="1")
    _op(out_dir, "prod_all", lambda a: a.prod(), [pos(2, 3)])
    _op(out_dir, "norm_2", lambda a: a.norm(), [randn(3, 4)], p="2")
    _op(out_dir, "norm_1_dim", lambda a: a.norm(1, 1), [away(randn(3, 4))], p="1", dim="1")
    _op(out_dir, "norm_3_dim", lambda a: a.norm(3, 0), [randn(3, 4)], p="3", dim="0")
    _op(out_dir, "norm_inf", lambda a: a.norm(float("inf")), [randn(3, 4)], p="inf")
    _op(out_dir, "norm_inf_dim", lambda a: a.norm(float("inf"), 1, keepdim=True), [randn(3, 4)], p="inf", dim="1")
    _op(out_dir, "logsumexp_dim", lambda a: a.logsumexp(1), [randn(3, 4) * 30], dim="1")
    _op(out_dir, "max_all", lambda a: a.max(), [randn(3, 4)])
    _op(out_dir, "min_all", lambda a: a.min(), [randn(3, 4)])
    for name, fn in [("max_dim", torch.max), ("min_dim", torch.min)]:
        a = randn(3, 4)
        saved = with_grads(lambda x0: fn(x0, 1).values, {"x0": a})
        saved["indices"] = fn(a, 1).indices
        save_case(out_dir, FAMILY, name, saved, dim="1")
    a = randn(3, 4)
    save_case(out_dir, FAMILY, "argmax", {"x0": a, "out": a.argmax(), "out_dim": a.argmax(0), "out_min": a.argmin(1)})

    # linear algebra
    _op(out_dir, "matmul_2d", torch.matmul, [randn(3, 4), randn(4, 5)])
    _op(out_dir, "matmul_vec", torch.matmul, [randn(3, 4), randn(4)])
    _op(out_dir, "matmul_vec_mat", torch.matmul, [randn(4), randn(4, 2)])
    _op(out_dir, "matmul_dot", torch.matmul, [randn(4), randn(4)])
    _op(out_dir, "matmul_broadcast", torch.matmul, [randn(2, 1, 3, 4), randn(3, 4, 2)])
    _op(out_dir, "bmm", torch.bmm, [randn(2, 3, 4), randn(2, 4, 5)])
    _op(out_dir, "linear", torch.nn.functional.linear, [randn(5, 4), randn(3, 4), randn(3)])
    _op(out_dir, "linear_3d", torch.nn.functional.linear, [randn(2, 5, 4), randn(3, 4), randn(3)])

    # indexing and joining
    idx = torch.tensor([2, 0, 2, -1])
    _op(out_dir, "index_int", lambda a: a[idx], [randn(3, 4)])
    save_case(out_dir, FAMILY, "index_int_idx", {"idx": idx})
    mask = torch.tensor([True, False, True])
    saved = with_grads(lambda x0: x0[mask], {"x0": randn(3, 4)})
    saved["mask"] = mask
    save_case(out_dir, FAMILY, "index_mask", saved)
    sel = torch.tensor([3, 1, 3])
    saved = with_grads(lambda x0: x0.index_select(1, sel), {"x0": randn(3, 4)})
    saved["idx"] = sel
    save_case(out_dir, FAMILY, "index_select", saved, dim="1")
    mask2 = torch.tensor([[True], [False], [True]])
    saved = with_grads(lambda x0: x0.masked_select(mask2), {"x0": randn(4)})
    saved["mask"] = mask2
    save_case(out_dir, FAMILY, "masked_select", saved)
    gidx = torch.tensor([[3, 0], [1, 1], [2, 0]])
    saved = with_grads(lambda x0: x0.gather(1, gidx), {"x0": randn(3, 4)})
    saved["idx"] = gidx
    save_case(out_dir, FAMILY, "gather", saved, dim="1")
    cond = torch.tensor([[True, False, True], [False, False, True]])
    saved = with_grads(lambda x0, x1: torch.where(cond, x0, x1), {"x0": randn(2, 3), "x1": randn(3)})
    saved["cond"] = cond
    save_case(out_dir, FAMILY, "where", saved)
    fill = torch.tensor([True, False, False])
    saved = with_grads(lambda x0: x0.masked_fill(fill, 0.25), {"x0": randn(2, 3)})
    saved["mask"] = fill
    save_case(out_dir, FAMILY, "masked_fill", saved, value="0.25")
    a = torch.tensor([[1.0, 2.0, float("nan")], [4.0, -float("inf"), 6.0]])
    b = torch.tensor([1.0, 3.0, 6.0])
    save_case(out_dir, FAMILY, "compare", {
        "x0": a, "x1": b, "eq": a == b, "ne": a != b, "lt": a < b, "le": a <= b, "gt": a > b, "ge": a >= b,
        "gt_scalar": a > 2.5, "isnan": a.isnan(), "isinf": a.isinf(), "isfinite": a.isfinite(),
        "and": (a > 1.5).logical_and(b > 2), "or": (a > 5).logical_or(b < 2), "not": (a > 1.5).logical_not(),
        "any": (a > 5).any(), "all": (a > 0).all()})
    _op(out_dir, "cat_dim1", lambda a, b, c: torch.cat([a, b, c], 1), [randn(2, 3), randn(2, 1), randn(2, 2)], dim="1")
    _op(out_dir, "stack_dim1", lambda a, b: torch.stack([a, b], 1), [randn(2, 3), randn(2, 3)], dim="1")
    _op(out_dir, "split_size", lambda a: torch.cat([p.flatten() * (i + 1) for i, p in enumerate(a.split(3, 1))]),
        [randn(3, 7)], size="3", dim="1")
    _op(out_dir, "split_sizes", lambda a: torch.cat([p.flatten() * (i + 1) for i, p in enumerate(a.split([1, 3], 0))]),
        [randn(4, 2)], sizes="1,3", dim="0")
    _op(out_dir, "chunk", lambda a: torch.cat([p.flatten() * (i + 1) for i, p in enumerate(a.chunk(3, 1))]),
        [randn(2, 5)], chunks="3", dim="1")


def _reprs(out_dir, g):
    cases = {
        "small": torch.tensor([[0.1, 0.2]]),
        "randn": torch.randn(3, 4, generator=g),
        "negative_mixed": torch.tensor([-1.5, 0.25, 3.0]),
        "int_valued_float": torch.tensor([1.0, 2.0, -3.0]),
        "int64": torch.arange(-3, 7),
        "bool": torch.tensor([[True, False], [False, True]]),
        "float64": torch.randn(2, 2, generator=g, dtype=torch.float64),
        "sci_small": torch.tensor([1e-5, 1.0, 0.5]),
        "sci_large": torch.tensor([1e9, 2.0]),
        "sci_range": torch.tensor([1.0, 12345.0]),
        "scalar": torch.tensor(3.5),
        "nan_inf": torch.tensor([float("nan"), float("inf"), -float("inf"), 1.5]),
        "wide": torch.randn(20, generator=g),
        "three_d": torch.randn(2, 2, 3, generator=g),
        "summarised_2d": torch.randn(40, 40, generator=g),
        "summarised_1d": torch.arange(2000, dtype=torch.float32),
        "summarised_int": torch.arange(1200).reshape(30, 40),
        "empty": torch.zeros(0, 3),
        "empty_1d": torch.zeros(0),
    }
    for name, t in cases.items():
        save_case(out_dir, FAMILY, "repr_" + name, {"x0": t}, repr=repr(t))
    t = torch.tensor([[0.1, 0.2]])
    save_case(out_dir, FAMILY, "repr_requires_grad", {"x0": t}, repr=repr(t.clone().requires_grad_()))
    save_case(out_dir, FAMILY, "repr_grad_fn", {"x0": t}, repr=repr(t.clone().requires_grad_() * 2))
    d = torch.randn(3, generator=g, dtype=torch.float64)
    save_case(out_dir, FAMILY, "repr_float64_requires_grad", {"x0": d}, repr=repr(d.clone().requires_grad_()))


def generate(out_dir: pathlib.Path) -> None:
    g = torch.Generator().manual_seed(2024)
    _ops(out_dir, g)
    _reprs(out_dir, g)
