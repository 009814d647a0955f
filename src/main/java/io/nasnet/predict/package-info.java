/**
 * A found model put to work on a cluster: {@link io.nasnet.predict.PredictJob} scores a dataset or a
 * folder of images with a saved model as one Spark job and writes one row per image.
 */
package io.nasnet.predict;
