package io.nasnet.predict;

import io.nasnet.train.TrainCheckpoints;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The executors' side of {@link PredictJob}: the broadcast model restored once per executor JVM,
 * then a partition's images scored in batches into prediction rows. Tasks of one executor share the
 * network and take turns with it (a DL4J network runs one forward pass at a time; each pass uses the
 * executor's cores).
 */
final class Scorer {

    /** Networks by broadcast id: one per model per executor JVM, the last model's only (a long-lived executor scores many). */
    private static final Map<Long, ComputationGraph> NETWORKS = new ConcurrentHashMap<>();

    private Scorer() {
    }

    /** One image to score as the model takes it ({@code x}), or why it cannot be ({@code error}). */
    record Item(String input, Long index, Integer label, float[] x, String error) {
    }

    private static ComputationGraph network(Broadcast<byte[]> model) {
        NETWORKS.keySet().removeIf(id -> id != model.id());
        return NETWORKS.computeIfAbsent(model.id(), id -> {
            try {
                return TrainCheckpoints.restore(new ByteArrayInputStream(model.value()), "broadcast " + id);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** Prediction rows ({@link PredictJob#SCHEMA}) for a partition's items, {@code batch} images per forward pass. */
    static Iterator<Row> score(Iterator<Item> items, Broadcast<byte[]> model, ModelInput in, List<String> labels,
                               String archId, int batch, int topK) {
        ComputationGraph net = network(model);
        List<Row> rows = new ArrayList<>();
        List<Item> pending = new ArrayList<>();
        while (items.hasNext()) {
            Item item = items.next();
            if (item.error() != null) {
                rows.add(RowFactory.create(item.input(), item.index(), item.label(), null, null, null, null,
                        item.error(), archId));
                continue;
            }
            pending.add(item);
            if (pending.size() == batch) {
                forward(net, pending, in, labels, archId, topK, rows);
            }
        }
        if (!pending.isEmpty()) {
            forward(net, pending, in, labels, archId, topK, rows);
        }
        return rows.iterator();
    }

    private static void forward(ComputationGraph net, List<Item> items, ModelInput in, List<String> labels,
                                String archId, int topK, List<Row> rows) {
        float[] x = new float[items.size() * in.size()];
        for (int i = 0; i < items.size(); i++) {
            System.arraycopy(items.get(i).x(), 0, x, i * in.size(), in.size());
        }
        INDArray batch = Nd4j.create(x, new long[]{items.size(), in.channels(), in.height(), in.width()}, 'c');
        float[][] p;
        synchronized (net) {
            p = net.output(false, batch)[0].toFloatMatrix();
        }
        for (int i = 0; i < items.size(); i++) {
            Item item = items.get(i);
            Integer[] order = top(p[i], topK);
            List<Row> top = new ArrayList<>();
            for (int k : order) {
                top.add(RowFactory.create(k, labels.get(k), (double) p[i][k]));
            }
            int best = order[0];
            rows.add(RowFactory.create(item.input(), item.index(), item.label(), best, labels.get(best),
                    (double) p[i][best], scala.collection.JavaConverters.asScalaBuffer(top).toSeq(), null, archId));
        }
        items.clear();
    }

    /** The {@code k} most probable classes, most probable first; ties go to the lower class, as argmax does. */
    private static Integer[] top(float[] p, int k) {
        Integer[] idx = new Integer[p.length];
        for (int i = 0; i < p.length; i++) {
            idx[i] = i;
        }
        java.util.Arrays.sort(idx, (a, b) -> p[a] != p[b] ? Float.compare(p[b], p[a]) : Integer.compare(a, b));
        return java.util.Arrays.copyOf(idx, Math.min(k, p.length));
    }
}
