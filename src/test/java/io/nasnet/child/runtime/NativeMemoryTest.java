package io.nasnet.child.runtime;


import io.nasnet.child.runtime.NativeMemory;

import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.memory.enums.MemoryKind;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class NativeMemoryTest {

    private static final int BLOCK = 64 * 1024; // below glibc's mmap threshold: served from the heap
    private static final int BLOCKS = 4096;      // 256 MB

    /**
     * Native memory earlier tests in this JVM left to the garbage collector is freed first, so that
     * what a test measures is its own.
     */
    @BeforeEach
    void freeWhatEarlierTestsLeft() {
        System.gc();
        Pointer.deallocateReferences();
        NativeMemory.trim();
    }

    /** Allocates 256 MB in small blocks, touches them, frees all but the last (which pins the heap's top). */
    private static Pointer fragmentHeap() {
        List<Pointer> blocks = new ArrayList<>();
        for (int i = 0; i < BLOCKS; i++) {
            Pointer p = Pointer.malloc(BLOCK);
            Pointer.memset(p, 1, BLOCK);
            blocks.add(p);
        }
        for (int i = 0; i < BLOCKS - 1; i++) {
            Pointer.free(blocks.get(i));
        }
        return blocks.get(BLOCKS - 1);
    }

    @Test
    void overTheLimitFreedMemoryGoesBackToTheOs() {
        Pointer pin = fragmentHeap();
        try {
            long held = Pointer.physicalBytes();
            assertThat(NativeMemory.release()).as("no child reserved a limit").isFalse();
            try (NativeMemory.Reservation ignored = NativeMemory.reserve(held - 100L * 1024 * 1024)) {
                assertThat(NativeMemory.release()).isTrue();
            }
            assertThat(held - Pointer.physicalBytes()).as("bytes returned").isGreaterThan(150L * 1024 * 1024);
        } finally {
            Pointer.free(pin);
        }
    }

    @Test
    void underTheLimitNothingIsReleased() {
        Pointer pin = fragmentHeap();
        try {
            long held = Pointer.physicalBytes();
            try (NativeMemory.Reservation ignored = NativeMemory.reserve(held + (1L << 30))) {
                assertThat(NativeMemory.release()).isFalse();
            }
            // a trim would return the 256 MB freed above; the JVM's own memory moves by tens of MB meanwhile
            assertThat(Pointer.physicalBytes()).isGreaterThan(held - 128L * 1024 * 1024);
        } finally {
            Pointer.free(pin);
            NativeMemory.trim();
        }
    }

    /** What DL4J does at the end of a first iteration: frees what it ran on, allocates the workspace it sized. */
    @Test
    void aLargeAllocationThatWouldPassTheLimitTrimsFirst() {
        Pointer pin = fragmentHeap();
        Pointer small = null;
        Pointer large = null;
        try {
            long held = Pointer.physicalBytes();
            try (NativeMemory.Reservation ignored = NativeMemory.reserve(held + NativeMemory.LARGE / 2)) {
                small = Nd4j.getMemoryManager().allocate(NativeMemory.LARGE / 4, MemoryKind.HOST, false);
                assertThat(Pointer.physicalBytes()).as("a small allocation trims nothing")
                        .isGreaterThan(held - 50L * 1024 * 1024);
                large = Nd4j.getMemoryManager().allocate(NativeMemory.LARGE, MemoryKind.HOST, false);
                assertThat(held - Pointer.physicalBytes()).as("bytes returned before the large allocation")
                        .isGreaterThan(150L * 1024 * 1024);
            }
        } finally {
            Pointer.free(pin);
            for (Pointer p : new Pointer[] {small, large}) {
                if (p != null) {
                    Nd4j.getMemoryManager().release(p, MemoryKind.HOST);
                }
            }
        }
    }

    @Test
    void theProcessLimitIsTheSumOfTheTrainingChildren() {
        long before = NativeMemory.limit();
        try (NativeMemory.Reservation a = NativeMemory.reserve(1000); NativeMemory.Reservation b = NativeMemory.reserve(500)) {
            assertThat(NativeMemory.limit()).isEqualTo(before + 1500);
            a.close();
            assertThat(NativeMemory.limit()).isEqualTo(before + 500);
            try (NativeMemory.Reservation none = NativeMemory.reserve(0)) {
                assertThat(NativeMemory.limit()).isEqualTo(before + 500);
            }
        }
        assertThat(NativeMemory.limit()).isEqualTo(before);
    }
}
