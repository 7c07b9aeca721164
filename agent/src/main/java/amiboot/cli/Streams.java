package amiboot.cli;

import java.io.PrintStream;

/** Where a command writes: progress and results to out, the one-line error to err. */
record Streams(PrintStream out, PrintStream err) {}
