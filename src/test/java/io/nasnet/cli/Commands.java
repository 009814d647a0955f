package io.nasnet.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs a command line in-process, as the {@code nasnet} launcher would, capturing its output. */
final class Commands {

    private Commands() {
    }

    record Result(int code, String out, String err) {
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Result(code, out.toString(), err.toString());
    }
}
