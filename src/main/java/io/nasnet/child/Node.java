package io.nasnet.child;

/** A vertex of a graph under construction and its output shape (channels, height, width). */
record Node(String name, int c, int h, int w) {
}
