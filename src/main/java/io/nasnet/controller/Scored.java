package io.nasnet.controller;

/** A sampled architecture with its reward, as read back from the history table. */
public record Scored(int[] decisions, double reward, double logProb) {
}
