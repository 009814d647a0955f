package io.nasnet.study;

import io.nasnet.child.RewardDefinition;
import io.nasnet.history.HistoryRecord;
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

/** The files of a proxy study ({@link ProxyGrid}): its tables, every row as CSV, and the frontier charts. */
public final class ProxyGridFiles {

    private ProxyGridFiles() {
    }

    private static String f(String fmt, Object... args) {
        return String.format(Locale.ROOT, fmt, args);
    }

    /**
     * Writes {@code grid.md} (the tiers' and the zero-cost scores' tables), {@code grid.csv} (every
     * evaluation), {@code finals.csv}, {@code share.png} and {@code tau.png} (each tier's architecture
     * share and tau against its child-seconds, one series per reward definition) and {@code index.html};
     * returns the markdown.
     */
    public static Path write(ProxyGrid.Result r, Path dir) throws IOException {
        Files.createDirectories(dir);
        StringBuilder csv = new StringBuilder("tier,arch_id,label,seed,status,accuracy,accuracy_mean,validation_loss,"
                + "train_loss_area,child_seconds,params,naswot,synflow,grad_norm,zero_cost_seconds\n");
        Map<String, String> labels = new LinkedHashMap<>();
        r.archs().forEach(a -> labels.put(a.genotype().id(), a.label()));
        for (Map.Entry<String, List<HistoryRecord>> e : r.rows().entrySet()) {
            for (HistoryRecord h : e.getValue()) {
                var m = h.measures();
                csv.append(f("\"%s\",%s,\"%s\",%d,%s,%.6f,%.6f,%.6f,%.6f,%.2f,%d,%.4f,%.6g,%.6g,%.3f%n", e.getKey(),
                        h.archId(), labels.get(h.archId()), h.seed(), h.status(), h.accuracy(), m.accuracyMean(),
                        m.validationLoss(), m.trainLossArea(), h.childSeconds(), h.params(), m.zeroCost().naswot(),
                        m.zeroCost().synflow(), m.zeroCost().gradNorm(), m.zeroCost().seconds()));
            }
        }
        Files.writeString(dir.resolve("grid.csv"), csv.toString(), StandardCharsets.UTF_8);
        StringBuilder fin = new StringBuilder("arch_id,label,final_accuracy_mean\n");
        r.finalAccuracy().forEach((id, acc) -> fin.append(f("%s,\"%s\",%.6f%n", id, labels.get(id), acc)));
        Files.writeString(dir.resolve("finals.csv"), fin.toString(), StandardCharsets.UTF_8);

        StringBuilder md = new StringBuilder(f("%d architectures; final-like budget `%s` (%s), median %.0f s a "
                        + "training.%s%n%n", r.archs().size(), r.finalBudget(),
                r.finalAccuracy().size() + " of " + r.archs().size() + " trained", r.finalSeconds(),
                r.complete() ? "" : " **Incomplete: run it again to continue.**"));
        if (r.finalShare() != null) {
            md.append(f("The final-like accuracy's own architecture share: %.2f [%.2f, %.2f] (its seeds disagree by the "
                    + "rest, which bounds any tier's tau against it).%n%n", r.finalShare().estimate(), r.finalShare().low(),
                    r.finalShare().high()));
        }
        md.append("| tier | reward | seeds | child-seconds | architecture's share [95% interval] | share without the "
                + "lowest | Kendall tau, one reward | Kendall tau, seeds' mean | share per 100 child-seconds |\n"
                + "|---|---|---|---|---|---|---|---|---|\n");
        List<List<String>> table = new ArrayList<>();
        table.add(List.of("tier", "reward", "seeds", "child-seconds", "share [95%]", "share without the lowest",
                "tau, one reward", "tau, mean", "share / 100 child-s"));
        Map<String, double[][]> shareSeries = new LinkedHashMap<>();
        Map<String, double[][]> tauSeries = new LinkedHashMap<>();
        for (RewardDefinition d : RewardDefinition.values()) {
            double[][] sh = new double[2][r.tiers().size()];
            double[][] ta = new double[2][r.tiers().size()];
            for (int i = 0; i < r.tiers().size(); i++) {
                ProxyGrid.TierResult t = r.tiers().get(i);
                sh[0][i] = t.childSeconds();
                sh[1][i] = t.of(d).share().estimate();
                ta[0][i] = t.childSeconds();
                ta[1][i] = t.of(d).tauOneSeed();
            }
            shareSeries.put(d.key(), sh);
            tauSeries.put(d.key(), ta);
        }
        for (ProxyGrid.TierResult t : r.tiers()) {
            for (ProxyGrid.Figures g : t.rewards()) {
                List<String> row = List.of(t.tier(), g.reward().key(), String.valueOf(t.seeds()),
                        f("%.1f", t.childSeconds()), f("%.2f [%.2f, %.2f]", g.share().estimate(), g.share().low(),
                                g.share().high()), f("%.2f", g.shareWithoutLowest()), f("%.2f", g.tauOneSeed()),
                        f("%.2f", g.tauSeedMean()),
                        f("%.2f", 100 * g.share().estimate() / t.childSeconds()));
                table.add(row);
                md.append("| ").append(String.join(" | ", row)).append(" |\n");
            }
        }
        r.best().ifPresent(b -> md.append(f("%nMost architecture signal per child-second: tier `%s`, reward %s "
                        + "(share %.2f at %.1f child-seconds, Kendall tau %.2f of one reward, %.2f of the seeds' mean).%n",
                b.getKey().tier(), b.getValue().reward().key(), b.getValue().share().estimate(), b.getKey().childSeconds(),
                b.getValue().tauOneSeed(), b.getValue().tauSeedMean())));
        md.append("\n| zero-cost score | Kendall tau against the final-like accuracy | median seconds |\n|---|---|---|\n");
        for (ProxyGrid.ScoreTau z : r.zeroCost()) {
            md.append(f("| %s | %.2f | %.2f |%n", z.score(), z.tau(), z.seconds()));
        }
        if (!r.tiers().isEmpty()) {
            Charts.scatter("Architecture's share of one reward against its cost", "child-seconds per child",
                    "architecture's share of one reward's variance", shareSeries, dir.resolve("share.png"));
            Charts.scatter("Kendall tau of one reward against its cost", "child-seconds per child",
                    "Kendall tau against the final-like accuracy", tauSeries, dir.resolve("tau.png"));
            StudyPage.write(dir, "Proxy study", "Each tier trains the same architectures with the same seeds; the "
                    + "final-like budget is " + r.finalBudget() + ".", "share.png",
                    "The architecture's share of one reward's variance against the tier's child-seconds.", table);
        }
        return Files.writeString(dir.resolve("grid.md"), md.toString(), StandardCharsets.UTF_8);
    }
}
