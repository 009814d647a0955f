package io.nasnet.space;

/** A Normal cell keeps the spatial size; a Reduction cell halves it and doubles the filters. */
public enum CellType {
    NORMAL("normal"),
    REDUCTION("reduction");

    private final String token;

    CellType(String token) {
        this.token = token;
    }

    public String token() {
        return token;
    }

    @Override
    public String toString() {
        return token;
    }
}
