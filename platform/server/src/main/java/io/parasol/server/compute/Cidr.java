package io.parasol.server.compute;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** An IPv4 or IPv6 CIDR as a network policy's {@code ipBlock} takes it; never a host name. */
final class Cidr {

  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

  private Cidr() {}

  /** Whether the text is an address literal with a prefix length that fits it. */
  static boolean valid(String cidr) {
    if (cidr == null || cidr.length() > 50) {
      return false;
    }
    int slash = cidr.indexOf('/');
    if (slash < 0 || slash != cidr.lastIndexOf('/')) {
      return false;
    }
    String address = cidr.substring(0, slash);
    String prefix = cidr.substring(slash + 1);
    if (!prefix.matches("\\d{1,3}")) {
      return false;
    }
    InetAddress parsed = literal(address);
    if (parsed == null) {
      return false;
    }
    int length = Integer.parseInt(prefix);
    return length <= (parsed instanceof Inet4Address ? 32 : 128);
  }

  /** The address of a literal, or null: a name is never looked up. */
  static InetAddress literal(String address) {
    boolean v4 = IPV4.matcher(address).matches();
    if (!v4 && !(address.contains(":") && IPV6.matcher(address).matches())) {
      return null;
    }
    if (v4) {
      for (String part : address.split("\\.")) {
        if (Integer.parseInt(part) > 255) {
          return null;
        }
      }
    }
    try {
      return InetAddress.getByName(address);
    } catch (UnknownHostException e) {
      return null;
    }
  }

  /** The one-address CIDR of an address. */
  static String of(InetAddress address) {
    return address.getHostAddress() + (address instanceof Inet4Address ? "/32" : "/128");
  }
}
