"""Fixtures for dev.nnlab.optim, nn.utils.ClipGrad and nn.init.Init.calculateGain, written by PyTorch."""
import math
import pathlib

import torch
from safetensors.torch import save_file

FAMILY = "optim"
STEPS = 3

# case -> (optimizer factory, metadata describing its options for the Java side)
OPTIMIZERS = {
    "sgd_plain": (lambda p: torch.optim.SGD(p, lr=0.1), {"kind": "sgd", "lr": "0.1"}),
    "sgd_momentum": (lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9, dampening=0.1),
                     {"kind": "sgd", "lr": "0.1", "momentum": "0.9", "dampening": "0.1"}),
    "sgd_nesterov_wd": (lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9, nesterov=True, weight_decay=0.01),
                        {"kind": "sgd", "lr": "0.05", "momentum": "0.9", "nesterov": "true", "weight_decay": "0.01"}),
    "sgd_maximize": (lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.5, maximize=True),
                     {"kind": "sgd", "lr": "0.1", "momentum": "0.5", "maximize": "true"}),
    "adam": (lambda p: torch.optim.Adam(p, lr=0.01), {"kind": "adam", "lr": "0.01"}),
    "adam_amsgrad_wd": (lambda p: torch.optim.Adam(p, lr=0.01, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1, amsgrad=True),
                        {"kind": "adam", "lr": "0.01", "beta1": "0.8", "beta2": "0.99", "eps": "1e-6",
                         "weight_decay": "0.1", "amsgrad": "true"}),
    "adamw": (lambda p: torch.optim.AdamW(p, lr=0.01, weight_decay=0.1), {"kind": "adamw", "lr": "0.01", "weight_decay": "0.1"}),
}


def _optimizer_case(name, factory, meta, out):
    torch.manual_seed(1234)
    x0 = torch.randn(3, 4)
    x1 = torch.randn(4)
    params = [x0.clone().requires_grad_(), x1.clone().requires_grad_()]
    opt = factory(params)
    tensors = {"x0": x0, "x1": x1}
    for s in range(STEPS):
        # Gradients vary in sign and scale from step to step (one step has a near-zero gradient entry).
        g0 = torch.randn(3, 4) * (s + 1)
        g1 = torch.randn(4)
        g1[s] = 1e-7
        tensors[f"grad_s{s}_x0"] = g0
        tensors[f"grad_s{s}_x1"] = g1
        params[0].grad = g0.clone()
        params[1].grad = g1.clone()
        opt.step()
    tensors["out_x0"] = params[0].detach().clone()
    tensors["out_x1"] = params[1].detach().clone()
    state = opt.state[params[0]]
    for key in ("momentum_buffer", "exp_avg", "exp_avg_sq", "max_exp_avg_sq"):
        if key in state:
            tensors[f"state_x0_{key}"] = state[key].clone()
    save_file({k: v.contiguous() for k, v in tensors.items()}, str(out / f"{name}.safetensors"),
              metadata={**meta, "steps": str(STEPS)})


def _schedulers(out):
    def run(make, epochs=12):
        p = torch.zeros(1, requires_grad=True)
        opt = torch.optim.SGD([p], lr=0.5)
        sched = make(opt)
        lrs = [sched.get_last_lr()[0]]
        for _ in range(epochs):
            opt.step()
            sched.step()
            lrs.append(sched.get_last_lr()[0])
        return torch.tensor(lrs, dtype=torch.float64)

    save_file({"out": run(lambda o: torch.optim.lr_scheduler.StepLR(o, step_size=3, gamma=0.5))},
              str(out / "steplr.safetensors"), metadata={"lr": "0.5", "step_size": "3", "gamma": "0.5", "epochs": "12"})
    save_file({"out": run(lambda o: torch.optim.lr_scheduler.CosineAnnealingLR(o, T_max=4, eta_min=0.05), epochs=14)},
              str(out / "cosine.safetensors"), metadata={"lr": "0.5", "T_max": "4", "eta_min": "0.05", "epochs": "14"})


def _clip(out):
    for name, max_norm, norm_type in [("clip_norm2", 1.0, 2.0), ("clip_norm_inf", 0.5, math.inf),
                                      ("clip_norm1", 100.0, 1.0), ("clip_norm3", 0.7, 3.0)]:
        torch.manual_seed(7)
        g0 = torch.randn(5, 3) * 2
        g1 = torch.randn(7)
        params = [torch.zeros(5, 3, requires_grad=True), torch.zeros(7, requires_grad=True)]
        params[0].grad = g0.clone()
        params[1].grad = g1.clone()
        total = torch.nn.utils.clip_grad_norm_(params, max_norm, norm_type)
        save_file({"x0": g0, "x1": g1, "out": total.reshape(1), "grad_x0": params[0].grad.clone(),
                   "grad_x1": params[1].grad.clone()}, str(out / f"{name}.safetensors"),
                  metadata={"max_norm": str(max_norm), "norm_type": str(norm_type)})
    torch.manual_seed(8)
    g = torch.randn(4, 5) * 3
    p = torch.zeros(4, 5, requires_grad=True)
    p.grad = g.clone()
    torch.nn.utils.clip_grad_value_([p], 1.5)
    save_file({"x0": g, "grad_x0": p.grad.clone()}, str(out / "clip_value.safetensors"), metadata={"clip_value": "1.5"})


def _gains(out):
    cases = [("linear", None), ("conv1d", None), ("conv2d", None), ("conv3d", None), ("conv_transpose1d", None),
             ("conv_transpose2d", None), ("conv_transpose3d", None), ("sigmoid", None), ("tanh", None),
             ("relu", None), ("leaky_relu", None), ("leaky_relu", 0.2), ("leaky_relu", 0), ("selu", None)]
    gains = [torch.nn.init.calculate_gain(n, p) for n, p in cases]
    names = ",".join(n if p is None else f"{n}:{p}" for n, p in cases)
    save_file({"out": torch.tensor(gains, dtype=torch.float64)}, str(out / "calculate_gain.safetensors"),
              metadata={"names": names})


def generate(out_dir: pathlib.Path) -> None:
    out = pathlib.Path(out_dir) / FAMILY
    out.mkdir(parents=True, exist_ok=True)
    for name, (factory, meta) in OPTIMIZERS.items():
        _optimizer_case(name, factory, meta, out)
    _schedulers(out)
    _clip(out)
    _gains(out)
