package dev.nnlab.kernel.display;

import dev.nnlab.plot.Images;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.dflib.jjava.jupyter.kernel.display.RenderContext;
import org.dflib.jjava.jupyter.kernel.display.RenderFunction;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * An XChart chart as a static image, so a saved notebook shows it anywhere: image/png by default (its size in the
 * metadata), image/svg+xml on request ({@code display(chart, "image/svg+xml")}). Drawn headless with the fonts
 * Java finds on the machine.
 */
public final class ChartRenderer implements RenderFunction<Chart<?, ?>> {
    @Override
    public void render(Chart<?, ?> chart, RenderContext ctx) {
        ctx.renderIfRequested(MIMEType.IMAGE_PNG, (type, out) -> {
            out.putData(type, Base64.getEncoder().encodeToString(Images.png(chart)));
            out.putMetaData(type, Map.of("width", chart.getWidth(), "height", chart.getHeight()));
        });
        ctx.renderIfRequested(MIMEType.IMAGE_SVG, () -> new String(Images.svg(chart), StandardCharsets.UTF_8));
        ctx.renderIfRequested(MIMEType.TEXT_PLAIN, () -> text(chart));
    }

    static String text(Chart<?, ?> chart) {
        String title = chart.getTitle() == null || chart.getTitle().isEmpty() ? "" : " \"" + chart.getTitle() + "\"";
        return chart.getClass().getSimpleName() + title + " (" + chart.getWidth() + "x" + chart.getHeight() + ")";
    }
}
