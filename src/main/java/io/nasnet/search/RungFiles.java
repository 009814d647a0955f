package io.nasnet.search;

import io.nasnet.engine.ChildTask;

import io.nasnet.data.AtomicFile;
import io.nasnet.data.TaskHadoop;
import io.nasnet.history.HistoryRecord;
import org.apache.commons.lang3.SerializationUtils;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * A round's rungs on the cluster's FileSystem, next to the search's checkpoint: per child and rung the
 * state its training goes on from ({@code child-I.rung-R.state}) and the row it ended with
 * ({@code child-I.rung-R.row}), each written atomically. A task that finds its row returns it: a rung
 * is trained once, whatever Spark or the driver re-runs. The round's folder goes once the round is in
 * the table and its checkpoint saved.
 */
final class RungFiles {

    private RungFiles() {
    }

    /** The folder of one round's rungs. */
    static Path roundDir(String checkpointPath, String searchId, int round) {
        return new Path(new Path(checkpointPath, searchId + ".rungs"), "round-" + round);
    }

    private static Path file(ChildTask task, int rung, String ext) {
        return new Path(task.rung().stateDir(), "child-" + task.spec().index() + ".rung-" + rung + "." + ext);
    }

    /** The row a rung's earlier run left, if it was this child's (same architecture, seed and budget). */
    static Optional<HistoryRecord> row(ChildTask task) {
        Path p = file(task, task.rung().index(), "row");
        try {
            FileSystem fs = p.getFileSystem(TaskHadoop.conf());
            if (!fs.exists(p)) {
                return Optional.empty();
            }
            HistoryRecord h;
            try (InputStream in = fs.open(p)) {
                h = SerializationUtils.deserialize(in.readAllBytes());
            }
            boolean same = h.archId().equals(task.archId()) && h.seed() == task.spec().seed()
                    && h.budget().equals(task.budget()) && h.round() == task.spec().round();
            return same ? Optional.of(h) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // unreadable: trained again and written anew
        }
    }

    static void saveRow(ChildTask task, HistoryRecord row) {
        write(file(task, task.rung().index(), "row"), SerializationUtils.serialize(row));
    }

    static void saveState(ChildTask task, byte[] state) {
        write(file(task, task.rung().index(), "state"), state);
    }

    /** The state the child's training at {@code rung} saved; an error if it is gone. */
    static byte[] state(ChildTask task, int rung) {
        Path p = file(task, rung, "state");
        try (InputStream in = p.getFileSystem(TaskHadoop.conf()).open(p)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the saved state of child " + task.spec().index() + " at rung "
                    + rung + " (" + p + "): " + e.getMessage(), e);
        }
    }

    private static void write(Path p, byte[] bytes) {
        try {
            AtomicFile.write(p, TaskHadoop.conf(), out -> out.write(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + p + ": " + e.getMessage(), e);
        }
    }
}
