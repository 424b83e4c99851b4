"""torch.nn.functional ops with their gradients, for nnlab's F (FunctionalFixtureTest)."""
import pathlib

import torch
import torch.nn.functional as F

from fixturelib import save_case, with_grads

FAMILY = "functional"


def _case(out_dir, name, fn, inputs, consts=None, **meta):
    """inputs get gradients; consts (class weights and the like) are saved as they are."""
    saved = with_grads(fn, inputs)
    saved.update(consts or {})
    save_case(out_dir, FAMILY, name, saved, **meta)


def generate(out_dir: pathlib.Path):
    g = torch.Generator().manual_seed(2024)

    def randn(*shape):
        return torch.randn(*shape, generator=g)

    # Activations: one input, 4x5, spread over the interesting range.
    acts = {
        "relu": lambda x0: F.relu(x0),
        "leaky_relu": lambda x0: F.leaky_relu(x0, 0.1),
        "elu": lambda x0: F.elu(x0, 0.7),
        "gelu": lambda x0: F.gelu(x0),
        "gelu_tanh": lambda x0: F.gelu(x0, approximate="tanh"),
        "selu": lambda x0: F.selu(x0),
        "silu": lambda x0: F.silu(x0),
        "sigmoid": lambda x0: torch.sigmoid(x0),
        "tanh": lambda x0: torch.tanh(x0),
        "softplus": lambda x0: F.softplus(x0, beta=2.0, threshold=3.0),
    }
    for name, fn in acts.items():
        _case(out_dir, name, fn, {"x0": randn(4, 5) * 2})

    for dim in (0, 1, -1):
        _case(out_dir, f"softmax_dim{dim}", lambda x0: F.softmax(x0, dim), {"x0": randn(3, 4, 5) * 3}, dim=dim)
        _case(out_dir, f"log_softmax_dim{dim}", lambda x0: F.log_softmax(x0, dim), {"x0": randn(3, 4, 5) * 3}, dim=dim)

    _case(out_dir, "conv2d_basic", lambda x0, x1, x2: F.conv2d(x0, x1, x2),
          {"x0": randn(2, 3, 7, 7), "x1": randn(4, 3, 3, 3), "x2": randn(4)},
          stride="1,1", padding="0,0", dilation="1,1", groups=1)
    _case(out_dir, "conv2d_strided_grouped",
          lambda x0, x1, x2: F.conv2d(x0, x1, x2, stride=(2, 1), padding=(1, 2), dilation=(2, 1), groups=2),
          {"x0": randn(2, 4, 8, 9), "x1": randn(6, 2, 3, 2), "x2": randn(6)},
          stride="2,1", padding="1,2", dilation="2,1", groups=2)
    _case(out_dir, "conv1d", lambda x0, x1, x2: F.conv1d(x0, x1, x2, stride=2, padding=1, dilation=2, groups=2),
          {"x0": randn(2, 4, 10), "x1": randn(4, 2, 3), "x2": randn(4)}, stride=2, padding=1, dilation=2, groups=2)

    _case(out_dir, "max_pool2d",
          lambda x0: F.max_pool2d(x0, (3, 2), stride=(2, 1), padding=(1, 1), dilation=(1, 2)),
          {"x0": randn(2, 3, 6, 7)}, kernel="3,2", stride="2,1", padding="1,1", dilation="1,2")
    _case(out_dir, "avg_pool2d", lambda x0: F.avg_pool2d(x0, 3, stride=2, padding=1),
          {"x0": randn(2, 3, 6, 7)}, kernel="3,3", stride="2,2", padding="1,1")
    _case(out_dir, "adaptive_avg_pool2d", lambda x0: F.adaptive_avg_pool2d(x0, (3, 2)),
          {"x0": randn(2, 3, 7, 5)}, output="3,2")

    # batch_norm: the running stats after one training step are saved too.
    x, w, b = randn(4, 3, 5) * 2 + 1, randn(3), randn(3)
    rm, rv = randn(3), torch.rand(3, generator=g) + 0.5
    rm_after, rv_after = rm.clone(), rv.clone()
    saved = with_grads(lambda x0, x1, x2: F.batch_norm(x0, rm_after, rv_after, x1, x2, True, 0.2, 1e-5),
                       {"x0": x, "x1": w, "x2": b})
    saved.update(running_mean=rm, running_var=rv, running_mean_after=rm_after, running_var_after=rv_after)
    save_case(out_dir, FAMILY, "batch_norm_train", saved, momentum=0.2, eps=1e-5)
    saved = with_grads(lambda x0, x1, x2: F.batch_norm(x0, rm, rv, x1, x2, False, 0.2, 1e-5),
                       {"x0": x, "x1": w, "x2": b})
    saved.update(running_mean=rm, running_var=rv)
    save_case(out_dir, FAMILY, "batch_norm_eval", saved, momentum=0.2, eps=1e-5)
    _case(out_dir, "layer_norm", lambda x0, x1, x2: F.layer_norm(x0, (4, 5), x1, x2, 1e-5),
          {"x0": randn(3, 4, 5) * 2, "x1": randn(4, 5), "x2": randn(4, 5)}, shape="4,5", eps=1e-5)

    _case(out_dir, "embedding", lambda x0, x1: F.embedding(x0, x1, padding_idx=2),
          {"x0": torch.tensor([[0, 2, 5], [2, 1, 0]]), "x1": randn(6, 4)}, padding_idx=2)

    _case(out_dir, "pad_constant", lambda x0: F.pad(x0, (1, 2, 0, 1), value=0.5), {"x0": randn(2, 3, 4)},
          pad="1,2,0,1", mode="constant", value=0.5)
    _case(out_dir, "pad_negative", lambda x0: F.pad(x0, (-1, 2, 1, -1)), {"x0": randn(2, 3, 4)},
          pad="-1,2,1,-1", mode="constant", value=0.0)
    _case(out_dir, "pad_reflect", lambda x0: F.pad(x0, (2, 1, 1, 2), mode="reflect"), {"x0": randn(1, 2, 4, 5)},
          pad="2,1,1,2", mode="reflect", value=0.0)
    _case(out_dir, "pad_replicate", lambda x0: F.pad(x0, (2, 1, 1, 2), mode="replicate"), {"x0": randn(1, 2, 4, 5)},
          pad="2,1,1,2", mode="replicate", value=0.0)

    _case(out_dir, "mse_loss_mean", lambda x0, x1: F.mse_loss(x0, x1), {"x0": randn(4, 5), "x1": randn(4, 5)},
          reduction="mean")
    _case(out_dir, "mse_loss_none", lambda x0, x1: F.mse_loss(x0, x1, reduction="none"),
          {"x0": randn(4, 5), "x1": randn(4, 5)}, reduction="none")
    _case(out_dir, "l1_loss_sum", lambda x0, x1: F.l1_loss(x0, x1, reduction="sum"),
          {"x0": randn(4, 5), "x1": randn(4, 5)}, reduction="sum")

    logits, target = randn(6, 5) * 2, torch.tensor([0, 4, 2, 2, 1, 3])
    _case(out_dir, "cross_entropy", lambda x0, x1: F.cross_entropy(x0, x1), {"x0": logits, "x1": target},
          ignore_index=-100, reduction="mean", label_smoothing=0.0)
    weight = torch.rand(5, generator=g) + 0.5
    _case(out_dir, "cross_entropy_full",
          lambda x0, x1: F.cross_entropy(x0, x1, weight=weight, ignore_index=2, reduction="mean", label_smoothing=0.1),
          {"x0": logits, "x1": target}, {"weight": weight}, ignore_index=2, reduction="mean", label_smoothing=0.1)
    _case(out_dir, "cross_entropy_none_smoothing",
          lambda x0, x1: F.cross_entropy(x0, x1, reduction="none", label_smoothing=0.2),
          {"x0": logits, "x1": target}, ignore_index=-100, reduction="none", label_smoothing=0.2)
    _case(out_dir, "cross_entropy_sum_weighted",
          lambda x0, x1: F.cross_entropy(x0, x1, weight=weight, reduction="sum"),
          {"x0": logits, "x1": target}, {"weight": weight}, ignore_index=-100, reduction="sum", label_smoothing=0.0)
    _case(out_dir, "cross_entropy_spatial", lambda x0, x1: F.cross_entropy(x0, x1),
          {"x0": randn(2, 4, 3, 3), "x1": torch.randint(0, 4, (2, 3, 3), generator=g)},
          ignore_index=-100, reduction="mean", label_smoothing=0.0)
    _case(out_dir, "cross_entropy_probs", lambda x0, x1: F.cross_entropy(x0, x1, label_smoothing=0.1),
          {"x0": logits, "x1": torch.softmax(randn(6, 5), 1)}, ignore_index=-100, reduction="mean", label_smoothing=0.1)
    _case(out_dir, "nll_loss", lambda x0, x1: F.nll_loss(x0, x1, weight=weight, ignore_index=4, reduction="mean"),
          {"x0": F.log_softmax(randn(6, 5), 1), "x1": target}, {"weight": weight}, ignore_index=4, reduction="mean")
    probs, labels = torch.sigmoid(randn(4, 3)), torch.rand(4, 3, generator=g)
    bce_w, pos_w = torch.rand(4, 3, generator=g), torch.rand(3, generator=g) + 0.5
    _case(out_dir, "binary_cross_entropy",
          lambda x0, x1: F.binary_cross_entropy(x0, x1, weight=bce_w, reduction="mean"),
          {"x0": probs, "x1": labels}, {"weight": bce_w}, reduction="mean")
    _case(out_dir, "binary_cross_entropy_with_logits",
          lambda x0, x1: F.binary_cross_entropy_with_logits(x0, x1, weight=bce_w, pos_weight=pos_w, reduction="sum"),
          {"x0": randn(4, 3) * 3, "x1": labels}, {"weight": bce_w, "pos_weight": pos_w}, reduction="sum")

    _case(out_dir, "normalize", lambda x0: F.normalize(x0, p=2.0, dim=1), {"x0": randn(3, 4)}, p=2.0, dim=1)
    _case(out_dir, "normalize_p1", lambda x0: F.normalize(x0, p=1.0, dim=0), {"x0": randn(3, 4)}, p=1.0, dim=0)
    _case(out_dir, "cosine_similarity", lambda x0, x1: F.cosine_similarity(x0, x1, dim=1),
          {"x0": randn(3, 4), "x1": randn(3, 4)}, dim=1)
    _case(out_dir, "bilinear", lambda x0, x1, x2, x3: F.bilinear(x0, x1, x2, x3),
          {"x0": randn(4, 3), "x1": randn(4, 5), "x2": randn(2, 3, 5), "x3": randn(2)})
    _case(out_dir, "cross_entropy_probs_spatial", lambda x0, x1: F.cross_entropy(x0, x1),
          {"x0": randn(2, 3, 2, 2), "x1": torch.softmax(randn(2, 3, 2, 2), 1)},
          ignore_index=-100, reduction="mean", label_smoothing=0.0)
