/** Benchmarks users can run on their own machines: child-training speed and memory. */
package io.nasnet.bench;
