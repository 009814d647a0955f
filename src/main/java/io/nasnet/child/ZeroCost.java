package io.nasnet.child;

import java.io.Serializable;

/**
 * Scores of an architecture at initialization, from one minibatch and no training (Abdelfattah et
 * al., ICLR 2021; Mellor et al., ICML 2021), computed by {@link ZeroCostScorer}: what a search could
 * know of a child before paying for it. NaN where not computed.
 *
 * @param naswot   log-determinant of the kernel of the ReLUs' on/off patterns over one minibatch
 * @param synflow  sum over weights of |w * dR/dw|, R the sum of the logits of an all-ones input with
 *                 every parameter replaced by its absolute value (batch norm bypassed), in double precision
 * @param gradNorm sum over weight tensors of the L2 norm of the cross-entropy loss's gradient on one minibatch
 * @param seconds  what computing the three took
 */
public record ZeroCost(double naswot, double synflow, double gradNorm, double seconds) implements Serializable {

    public static final ZeroCost NONE = new ZeroCost(Double.NaN, Double.NaN, Double.NaN, Double.NaN);
}
