package amiboot.deploy;

import java.nio.file.Path;

/** A release built complete under releases/, not yet current. */
public record BuiltRelease(String id, Path dir, Revision revision) {}
