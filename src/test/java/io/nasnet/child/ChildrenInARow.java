package io.nasnet.child;

import io.nasnet.child.runtime.Dl4jRuntime;
import io.nasnet.search.SearchConfig;
import io.nasnet.data.Datasets;
import io.nasnet.data.ImageDataset;
import io.nasnet.space.Presets;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * An executor's life in one JVM: {@code children} NASNet-A children of conf/local.conf (F=16) trained one
 * after another by the trainer the executors use, on the shipped dataset, each child's peak resident
 * size read from the kernel's high-water mark (reset before each). Prints the allocator, then one line
 * per child: {@code child K peak BYTES reward R}. Run by {@link ChildrenInARowTest} in a JVM of its own, started
 * as the scripts start executors.
 */
public final class ChildrenInARow {

    private ChildrenInARow() {
    }

    public static void main(String[] args) throws Exception {
        int children = Integer.parseInt(args[0]);
        SearchConfig config = SearchConfig.load(new File("conf/local.conf"),
                List.of("data.path=\"data/fashion-mnist-small\"", "data.train-limit=128", "data.validation=256",
                        "child.f=16"));
        ImageDataset data = Datasets.load(config.data());
        Dl4jRuntime.useThreads(1);
        Dl4jTrainer trainer = new Dl4jTrainer(config.child());
        System.out.println("allocator " + MemoryProbe.allocator());
        for (int c = 0; c < children; c++) {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
            ChildResult r = trainer.train(new ChildSpec("in-a-row", 0, c, Presets.NASNET_A.text(), c), data);
            if (r.status() != Status.OK) {
                throw new IllegalStateException("child " + c + ": " + r.status() + " " + r.error());
            }
            System.out.printf(Locale.ROOT, "child %d peak %d reward %.17g%n", c + 1, MemoryProbe.status("VmHWM:"),
                    r.reward());
        }
    }
}
