package io.nasnet.study;

import io.nasnet.report.Charts;
import io.nasnet.report.StudyPage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The files of a proxy-fidelity study: what {@link ProxyFidelity} measured, as a chart, a CSV and tables. */
public final class FidelityFiles {

    private FidelityFiles() {
    }

    /**
     * Writes {@code fidelity.png} (scatter), {@code fidelity.csv} (the points), {@code fidelity.md} and
     * {@code index.html} (the chart and the per-proxy figures); returns the markdown.
     */
    public static Path write(ProxyFidelity.Result r, Path dir) throws IOException {
        Files.createDirectories(dir);
        Map<String, double[][]> series = new LinkedHashMap<>();
        for (ProxyFidelity.Fidelity f : r.proxies()) {
            List<ProxyFidelity.Point> ps = r.points().stream().filter(p -> p.proxy().equals(f.proxy())).toList();
            series.put(String.format(Locale.ROOT, "%s (tau %.2f)", f.proxy(), f.kendallTau()),
                    new double[][]{ProxyFidelity.proxy(ps), ProxyFidelity.fin(ps)});
        }
        Charts.fidelity(series, "final-like test accuracy", dir.resolve("fidelity.png"));
        StringBuilder csv = new StringBuilder("proxy,arch_id,label,proxy_reward,proxy_seconds,final_accuracy,final_seconds\n");
        for (ProxyFidelity.Point p : r.points()) {
            csv.append(String.format(Locale.ROOT, "\"%s\",%s,\"%s\",%.6f,%.2f,%.6f,%.2f%n", p.proxy(), p.archId(),
                    p.label(), p.proxyReward(), p.proxySeconds(), p.finalAccuracy(), p.finalSeconds()));
        }
        Files.writeString(dir.resolve("fidelity.csv"), csv.toString(), StandardCharsets.UTF_8);
        StringBuilder md = new StringBuilder("Final-like budget: " + r.finalBudget() + "\n\n"
                + "| proxy | budget | train-limit | architectures | Kendall's tau | Spearman's rho | median child seconds |\n"
                + "|---|---|---|---|---|---|---|\n");
        for (ProxyFidelity.Fidelity f : r.proxies()) {
            md.append(String.format(Locale.ROOT, "| %s | `%s` | %d | %d | %.3f | %.3f | %.1f |%n", f.proxy(),
                    f.budget(), f.trainLimit(), f.architectures(), f.kendallTau(), f.spearmanRho(),
                    f.medianProxySeconds()));
        }
        List<List<String>> table = new ArrayList<>();
        table.add(List.of("proxy", "budget", "train-limit", "architectures", "Kendall's tau", "Spearman's rho",
                "median child seconds"));
        for (ProxyFidelity.Fidelity f : r.proxies()) {
            table.add(List.of(f.proxy(), f.budget(), String.valueOf(f.trainLimit()), String.valueOf(f.architectures()),
                    String.format(Locale.ROOT, "%.3f", f.kendallTau()), String.format(Locale.ROOT, "%.3f", f.spearmanRho()),
                    String.format(Locale.ROOT, "%.1f", f.medianProxySeconds())));
        }
        StudyPage.write(dir, "Proxy fidelity", "Each architecture evaluated at every proxy and trained once at the "
                + "final-like budget (" + r.finalBudget() + "); rank correlations between the two.", "fidelity.png",
                "Proxy reward against final-like test accuracy, one colour per proxy.", table);
        md.append("\nKendall's tau of each reward definition, from the same rows (blank: rows of a release that "
                + "did not measure it):\n\n| proxy |");
        for (io.nasnet.child.RewardDefinition d : io.nasnet.child.RewardDefinition.values()) {
            md.append(' ').append(d.key()).append(" |");
        }
        md.append("\n|---|").append("---|".repeat(io.nasnet.child.RewardDefinition.values().length)).append('\n');
        for (ProxyFidelity.Fidelity f : r.proxies()) {
            md.append("| ").append(f.proxy()).append(" |");
            for (io.nasnet.child.RewardDefinition d : io.nasnet.child.RewardDefinition.values()) {
                Double t = f.tauByReward().get(d);
                md.append(t == null ? " |" : String.format(Locale.ROOT, " %.3f |", t));
            }
            md.append('\n');
        }
        return Files.writeString(dir.resolve("fidelity.md"), md.toString(), StandardCharsets.UTF_8);
    }
}
