/**
 * The fused layers on oneDNN: a whole ReLU-conv-BN op ({@link io.nasnet.child.onednn.ReluConvBn}) and
 * TF-slim's factorized reduction ({@link io.nasnet.child.onednn.FactorizedReduction}) as one layer
 * each, with their oneDNN plans and parameter layout. Used on the CPU backend where oneDNN's library
 * loads.
 */
package io.nasnet.child.onednn;
