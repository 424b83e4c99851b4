package dev.nnlab.spark;

import java.io.Serializable;
import java.util.Map;

/** One run of a sweep: trains or measures with the given settings and returns named metrics. */
@FunctionalInterface
public interface Trial extends Serializable {
    Map<String, Double> run(Config config) throws Exception;
}
