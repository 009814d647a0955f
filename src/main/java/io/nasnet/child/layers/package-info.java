/**
 * DL4J layers the paper needs and DL4J lacks: ScheduledDropPath ({@link io.nasnet.child.layers.DropPath})
 * and a ReLU that never overwrites its input ({@link io.nasnet.child.layers.OutOfPlaceRelu}), with the
 * plumbing every layer of the project shares ({@link io.nasnet.child.layers.Layers}).
 */
package io.nasnet.child.layers;
