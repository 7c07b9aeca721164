/**
 * Class-data sharing: the rehearsals a JVM runs once on the box, with
 * {@code -XX:ArchiveClassesAtExit}, so that every later amiboot maps the classes its command loads
 * from an archive instead of reading and verifying them from the jar: a boot and a stop for the
 * commands that change the box, plans and the other readers for those that only read it
 * ({@code --light}). The launcher ({@code /usr/bin/amiboot}) builds the archives and decides when
 * they are stale.
 */
package amiboot.cds;
