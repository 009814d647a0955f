/**
 * Child networks: the trainer API ({@link io.nasnet.child.ChildTrainer}, {@link io.nasnet.child.Dl4jTrainer}),
 * and the wiring of a genotype into a DL4J {@code ComputationGraph} ({@link io.nasnet.child.NetworkBuilder}:
 * CIFAR or ImageNet stacking, the paper's op rules, factorized reductions, ScheduledDropPath, the
 * auxiliary head), its parameter and mult-add counts, and whose fault a failure is. The layers it
 * wires live in the subpackages: {@code layers} (what DL4J lacks), {@code kernels} (DL4J's layers,
 * faster), {@code onednn} (fused ops), {@code runtime} (process-wide switches). Knows nothing of
 * Spark or of controllers.
 */
package io.nasnet.child;
