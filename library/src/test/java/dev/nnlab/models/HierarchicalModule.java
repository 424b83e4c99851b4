package dev.nnlab.models;

import dev.nnlab.nn.Linear;
import dev.nnlab.nn.Module;
import dev.nnlab.nn.ModuleList;
import dev.nnlab.nn.ReLU;
import dev.nnlab.nn.Sequential;
import dev.nnlab.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/** ARTICLE.md §3.2's {@code HierarchicalModule}: a tree of depth {@code depth}, {@code width} children per node. */
final class HierarchicalModule extends Module {
    final int depth;
    final int width;
    ModuleList childrenModules;
    Linear combineLayer;
    Sequential leafLayer;

    HierarchicalModule(int depth, int width) {
        this.depth = depth;
        this.width = width;
        if (depth > 0) {
            List<Module> kids = new ArrayList<>();
            for (int i = 0; i < width; i++) kids.add(new HierarchicalModule(depth - 1, width));
            childrenModules = registerModule("children_modules", new ModuleList(kids));
            combineLayer = registerModule("combine_layer", new Linear(width * 10, 10));
        } else {
            leafLayer = registerModule("leaf_layer", new Sequential(new Linear(10, 20), new ReLU(), new Linear(20, 10)));
        }
    }

    @Override
    public Tensor forward(Tensor x) {
        if (depth == 0) return leafLayer.call(x);
        List<Tensor> outs = new ArrayList<>();
        for (Module child : childrenModules) outs.add(child.call(x));
        return combineLayer.call(Tensor.cat(outs, -1));
    }
}
