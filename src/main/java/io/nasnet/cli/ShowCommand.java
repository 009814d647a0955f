package io.nasnet.cli;

import io.nasnet.history.HistoryTable;
import io.nasnet.space.Genotype;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import io.nasnet.report.Report;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import io.nasnet.train.ModelCard;
import io.nasnet.train.SavedModel;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

import static org.apache.spark.sql.functions.col;

/** {@code show ARCH_ID}: an architecture, its size and every evaluation of it; {@code show MODEL}: a model's card. */
@Command(name = "show", mixinStandardHelpOptions = true,
        description = {"An architecture: its genotype, params, mult-adds and every evaluation of it; --diagram draws it.",
                "A model file (train's model.zip): its card, with where it came from (search, recipe, data, seed, "
                        + "version and commit)."})
final class ShowCommand extends HistoryCommand {

    @Parameters(index = "0", paramLabel = "ARCH_ID|MODEL",
            description = "architecture id (as in the arch_id column), or a model file (any Hadoop FileSystem path)")
    String archId;

    @Option(names = "--diagram", paramLabel = "DIR",
            description = "also draw its cells into DIR: normal.svg, reduction.svg and their .dot files")
    String diagramDir;

    @Override
    int run(SparkSession spark, HistoryTable table, PrintWriter out) throws Exception {
        if (!archId.matches("[0-9a-f]{16}")) {
            org.apache.hadoop.fs.Path model = new org.apache.hadoop.fs.Path(archId);
            var hadoop = spark.sparkContext().hadoopConfiguration();
            if (!model.getFileSystem(hadoop).exists(model)) {
                throw new IllegalArgumentException("'" + archId + "' is neither an architecture id (16 hex digits) "
                        + "nor a model file");
            }
            ModelCard card = SavedModel.card(model, hadoop).orElseThrow(() -> new IllegalArgumentException("model "
                    + archId + " has no card: it was not saved by train (or by a release before model cards)"));
            out.println("model " + archId);
            out.print(card.describe());
            return 0;
        }
        Dataset<Row> rows = table.architecture(archId);
        Row first = rows.select("genotype", "params", "mult_adds").orderBy(col("params").desc()).first();
        Genotype g = Genotype.parse(first.getString(0));
        out.println("architecture " + archId);
        out.println("genotype: " + g.text());
        out.println("json:     " + g.toJson());
        out.println("params:   " + first.getLong(1) + ", mult-adds: " + first.getLong(2));
        if (diagramDir != null) {
            Outputs outputs = new Outputs(spark);
            org.apache.hadoop.fs.Path folder = outputs.folder(diagramDir, table.path(), "diagrams", archId);
            List<String> names = new ArrayList<>();
            outputs.write(folder, dir -> {
                Report.writeDiagrams(g, dir).forEach(p -> names.add(p.getFileName().toString()));
                return dir;
            });
            names.forEach(n -> out.println("wrote " + Outputs.display(new org.apache.hadoop.fs.Path(folder, n))));
        }
        out.println();
        TableOutput.print(rows.orderBy("search_id", "round", "child_index")
                .select("search_id", "round", "child_index", "status", "reward", "val_accuracy", "train_seconds",
                        "host", "error"), TableOutput.Format.TABLE, out);
        return 0;
    }
}
