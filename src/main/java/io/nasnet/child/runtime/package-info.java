/**
 * Process-wide switches of the native runtime a child trains in: DL4J's oneDNN helpers and the
 * calling thread's thread count ({@link io.nasnet.child.runtime.Dl4jRuntime}), native memory kept near
 * a child's limit ({@link io.nasnet.child.runtime.NativeMemory}), the ND4J backend bound to a Spark
 * task's CPUs and GPU ({@link io.nasnet.child.runtime.Backend}).
 */
package io.nasnet.child.runtime;
