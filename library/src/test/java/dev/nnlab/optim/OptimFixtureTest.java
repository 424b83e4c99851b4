package dev.nnlab.optim;

import dev.nnlab.Fixtures;
import dev.nnlab.Fixtures.Fixture;
import dev.nnlab.nn.Parameter;
import dev.nnlab.nn.init.Init;
import dev.nnlab.nn.utils.ClipGrad;
import dev.nnlab.tensor.DType;
import dev.nnlab.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Optimizers, schedulers, clipping and calculate_gain against PyTorch's own results. */
class OptimFixtureTest {
    /** Layouts of the parameters: the float32 fast path, a strided float32 view, and float64. */
    enum Layout { CONTIGUOUS, STRIDED, FLOAT64 }

    private static Tensor place(Tensor t, Layout layout) {
        switch (layout) {
            case STRIDED: return t.dim() == 2 ? t.t().contiguous().t() : t.unsqueeze(1).expand(t.size(0), 2).contiguous().select(1, 1);
            case FLOAT64: return t.toDouble();
            default: return t.clone();
        }
    }

    static Optimizer make(Fixture f, List<Parameter> params) {
        String kind = f.meta("kind");
        double lr = Double.parseDouble(f.meta("lr"));
        double wd = f.metadata().containsKey("weight_decay") ? Double.parseDouble(f.meta("weight_decay")) : 0;
        if (kind.equals("sgd")) {
            return SGD.builder(params).lr(lr).weightDecay(wd)
                    .momentum(Double.parseDouble(f.metadata().getOrDefault("momentum", "0")))
                    .dampening(Double.parseDouble(f.metadata().getOrDefault("dampening", "0")))
                    .nesterov(Boolean.parseBoolean(f.metadata().getOrDefault("nesterov", "false")))
                    .maximize(Boolean.parseBoolean(f.metadata().getOrDefault("maximize", "false"))).build();
        }
        Adam.Builder<? extends Optimizer> b = kind.equals("adamw") ? AdamW.builder(params) : Adam.builder(params);
        b.lr(lr).weightDecay(wd)
                .betas(Double.parseDouble(f.metadata().getOrDefault("beta1", "0.9")),
                        Double.parseDouble(f.metadata().getOrDefault("beta2", "0.999")))
                .eps(Double.parseDouble(f.metadata().getOrDefault("eps", "1e-8")))
                .amsgrad(Boolean.parseBoolean(f.metadata().getOrDefault("amsgrad", "false")));
        return b.build();
    }

    @ParameterizedTest
    @CsvSource({
        "sgd_plain,CONTIGUOUS", "sgd_plain,STRIDED", "sgd_plain,FLOAT64",
        "sgd_momentum,CONTIGUOUS", "sgd_momentum,STRIDED", "sgd_momentum,FLOAT64",
        "sgd_nesterov_wd,CONTIGUOUS", "sgd_nesterov_wd,STRIDED", "sgd_nesterov_wd,FLOAT64",
        "sgd_maximize,CONTIGUOUS", "sgd_maximize,FLOAT64",
        "adam,CONTIGUOUS", "adam,STRIDED", "adam,FLOAT64",
        "adam_amsgrad_wd,CONTIGUOUS", "adam_amsgrad_wd,STRIDED", "adam_amsgrad_wd,FLOAT64",
        "adamw,CONTIGUOUS", "adamw,STRIDED", "adamw,FLOAT64",
    })
    void threeStepsMatchPyTorch(String name, Layout layout) {
        Fixture f = Fixtures.load("optim/" + name);
        Parameter p0 = new Parameter(place(f.tensor("x0"), layout));
        Parameter p1 = new Parameter(place(f.tensor("x1"), layout));
        Optimizer opt = make(f, List.of(p0, p1));
        int steps = Integer.parseInt(f.meta("steps"));
        for (int s = 0; s < steps; s++) {
            p0.setGrad(place(f.tensor("grad_s" + s + "_x0"), layout));
            p1.setGrad(place(f.tensor("grad_s" + s + "_x1"), layout));
            opt.step();
        }
        double rtol = layout == Layout.FLOAT64 ? 1e-4 : Fixtures.RTOL, atol = layout == Layout.FLOAT64 ? 1e-5 : Fixtures.ATOL;
        Fixtures.assertClose(f.tensor("out_x0"), p0.detach().toFloat(), rtol, atol);
        Fixtures.assertClose(f.tensor("out_x1"), p1.detach().toFloat(), rtol, atol);
        for (String key : List.of("momentum_buffer", "exp_avg", "exp_avg_sq", "max_exp_avg_sq")) {
            if (f.has("state_x0_" + key)) {
                Tensor mine = (Tensor) opt.state().get(p0).get(key);
                Fixtures.assertClose(f.tensor("state_x0_" + key), mine.toFloat(), rtol, atol);
            }
        }
        if (name.startsWith("adam")) assertEquals(steps, ((Tensor) opt.state().get(p0).get("step")).item());
    }

    private static double[] lrs(LRScheduler sched, Optimizer opt, int epochs) {
        double[] out = new double[epochs + 1];
        out[0] = sched.getLastLr().get(0);
        for (int e = 1; e <= epochs; e++) {
            opt.step();
            sched.step();
            out[e] = sched.getLastLr().get(0);
        }
        return out;
    }

    @Test
    void stepLrSequenceMatchesPyTorch() {
        Fixture f = Fixtures.load("optim/steplr");
        SGD opt = new SGD(List.of(new Parameter(Tensor.zeros(1))), Double.parseDouble(f.meta("lr")));
        StepLR sched = new StepLR(opt, Integer.parseInt(f.meta("step_size")), Double.parseDouble(f.meta("gamma")));
        double[] got = lrs(sched, opt, Integer.parseInt(f.meta("epochs")));
        Fixtures.assertClose(f.tensor("out"), Tensor.tensor(DType.FLOAT64, got), 1e-12, 1e-15);
        assertEquals(got[got.length - 1], opt.paramGroups().get(0).lr());
    }

    @Test
    void cosineLrSequenceMatchesPyTorch() {
        Fixture f = Fixtures.load("optim/cosine");
        SGD opt = new SGD(List.of(new Parameter(Tensor.zeros(1))), Double.parseDouble(f.meta("lr")));
        CosineAnnealingLR sched = new CosineAnnealingLR(opt, Integer.parseInt(f.meta("T_max")), Double.parseDouble(f.meta("eta_min")));
        double[] got = lrs(sched, opt, Integer.parseInt(f.meta("epochs")));
        Fixtures.assertClose(f.tensor("out"), Tensor.tensor(DType.FLOAT64, got), 1e-12, 1e-15);
    }

    @ParameterizedTest
    @CsvSource({"clip_norm2,CONTIGUOUS", "clip_norm2,STRIDED", "clip_norm2,FLOAT64", "clip_norm_inf,CONTIGUOUS",
        "clip_norm_inf,FLOAT64", "clip_norm1,CONTIGUOUS", "clip_norm3,CONTIGUOUS", "clip_norm3,STRIDED"})
    void clipGradNormMatchesPyTorch(String name, Layout layout) {
        Fixture f = Fixtures.load("optim/" + name);
        Parameter p0 = new Parameter(Tensor.zeros(5, 3)), p1 = new Parameter(Tensor.zeros(7));
        if (layout == Layout.FLOAT64) {
            p0 = new Parameter(Tensor.zeros(DType.FLOAT64, 5, 3));
            p1 = new Parameter(Tensor.zeros(DType.FLOAT64, 7));
        }
        p0.setGrad(place(f.tensor("x0"), layout));
        p1.setGrad(place(f.tensor("x1"), layout));
        String norm = f.meta("norm_type");
        Tensor total = ClipGrad.clipGradNorm_(List.of(p0, p1), Double.parseDouble(f.meta("max_norm")),
                norm.equals("inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(norm), true);
        assertEquals(layout == Layout.FLOAT64 ? DType.FLOAT64 : DType.FLOAT32, total.dtype());
        assertEquals(0, total.dim());
        Fixtures.assertClose(f.tensor("out"), total.reshape(1).toFloat());
        Fixtures.assertClose(f.tensor("grad_x0"), p0.grad().toFloat());
        Fixtures.assertClose(f.tensor("grad_x1"), p1.grad().toFloat());
    }

    @Test
    void clipGradValueMatchesPyTorch() {
        Fixture f = Fixtures.load("optim/clip_value");
        for (Layout layout : Layout.values()) {
            Parameter p = new Parameter(layout == Layout.FLOAT64 ? Tensor.zeros(DType.FLOAT64, 4, 5) : Tensor.zeros(4, 5));
            p.setGrad(place(f.tensor("x0"), layout));
            ClipGrad.clipGradValue_(List.of(p), Double.parseDouble(f.meta("clip_value")));
            Fixtures.assertClose(f.tensor("grad_x0"), p.grad().toFloat());
        }
    }

    @Test
    void calculateGainTableMatchesPyTorch() {
        Fixture f = Fixtures.load("optim/calculate_gain");
        String[] names = f.meta("names").split(",");
        double[] mine = new double[names.length];
        for (int i = 0; i < names.length; i++) {
            String[] np = names[i].split(":");
            mine[i] = np.length == 1 ? Init.calculateGain(np[0]) : Init.calculateGain(np[0], Double.parseDouble(np[1]));
        }
        Fixtures.assertClose(f.tensor("out"), Tensor.tensor(DType.FLOAT64, mine), 1e-15, 0);
    }
}
