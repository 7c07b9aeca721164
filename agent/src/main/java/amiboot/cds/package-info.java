/**
 * Class-data sharing: the rehearsal a JVM runs once on the box, with
 * {@code -XX:ArchiveClassesAtExit}, so that every later amiboot maps the classes a boot loads from
 * an archive instead of reading and verifying them from the jar. The launcher
 * ({@code /usr/bin/amiboot}) builds the archive and decides when it is stale.
 */
package amiboot.cds;
