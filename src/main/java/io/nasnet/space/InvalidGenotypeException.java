package io.nasnet.space;

/** A genotype that is not in the search space; the message names the cell, block and field. */
public class InvalidGenotypeException extends IllegalArgumentException {
    public InvalidGenotypeException(String message) {
        super(message);
    }

    public InvalidGenotypeException(String message, Throwable cause) {
        super(message, cause);
    }
}
