/**
 * The search itself: the round loop (sample, evaluate, record, read back, learn, checkpoint), its
 * resume and time budget, and the evaluator that trains a population, one Spark task per child.
 */
package io.nasnet.search;
