package amiboot.hosts;

import java.util.regex.Pattern;

/** One managed {@code /etc/hosts} line: an IP address literal and one name. */
public record HostsEntry(String address, String name) {
  private static final Pattern IPV4 = Pattern.compile(
      "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
  /** Starts with a hex digit or ':', so that the JDK parses it as a literal and never looks it up. */
  private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:][0-9A-Fa-f:.]*");

  /**
   * True for an IPv4 or IPv6 literal. No DNS lookup: a name or anything with spaces, shell
   * characters or a newline is not an address.
   */
  public static boolean isAddress(String text) {
    if (IPV4.matcher(text).matches()) {
      return true;
    }
    if (!text.contains(":") || !IPV6_CHARS.matcher(text).matches()) {
      return false;
    }
    try {
      // With a ':' and only hex digits, dots and colons, the JDK parses a literal and never resolves.
      return java.net.InetAddress.getByName(text) instanceof java.net.Inet6Address;
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }

  public String render() {
    return address + " " + name;
  }
}
