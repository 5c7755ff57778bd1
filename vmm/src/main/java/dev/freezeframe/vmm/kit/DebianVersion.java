package dev.freezeframe.vmm.kit;

import java.util.Comparator;

/** Debian's version ordering ({@code [epoch:]upstream[-revision]}, '~' before everything), as dpkg defines it. */
final class DebianVersion {
    static final Comparator<String> ORDER = DebianVersion::compare;

    private DebianVersion() {
    }

    static int compare(String a, String b) {
        int epochA = epoch(a);
        int epochB = epoch(b);
        if (epochA != epochB) {
            return Integer.compare(epochA, epochB);
        }
        String restA = a.substring(a.indexOf(':') + 1);
        String restB = b.substring(b.indexOf(':') + 1);
        int dashA = restA.lastIndexOf('-');
        int dashB = restB.lastIndexOf('-');
        String upA = dashA < 0 ? restA : restA.substring(0, dashA);
        String upB = dashB < 0 ? restB : restB.substring(0, dashB);
        int c = compareFragment(upA, upB);
        if (c != 0) {
            return c;
        }
        return compareFragment(dashA < 0 ? "0" : restA.substring(dashA + 1), dashB < 0 ? "0" : restB.substring(dashB + 1));
    }

    private static int epoch(String v) {
        int colon = v.indexOf(':');
        return colon < 0 ? 0 : Integer.parseInt(v.substring(0, colon));
    }

    /** dpkg's verrevcmp: alternate non-digit runs (compared by {@link #order}) and digit runs (compared numerically). */
    private static int compareFragment(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() || j < b.length()) {
            int firstDiff = 0;
            while ((i < a.length() && !Character.isDigit(a.charAt(i))) || (j < b.length() && !Character.isDigit(b.charAt(j)))) {
                int ac = i < a.length() ? order(a.charAt(i)) : 0;
                int bc = j < b.length() ? order(b.charAt(j)) : 0;
                if (ac != bc) {
                    return Integer.compare(ac, bc);
                }
                i++;
                j++;
            }
            while (i < a.length() && a.charAt(i) == '0') {
                i++;
            }
            while (j < b.length() && b.charAt(j) == '0') {
                j++;
            }
            while (i < a.length() && Character.isDigit(a.charAt(i)) && j < b.length() && Character.isDigit(b.charAt(j))) {
                if (firstDiff == 0) {
                    firstDiff = a.charAt(i) - b.charAt(j);
                }
                i++;
                j++;
            }
            if (i < a.length() && Character.isDigit(a.charAt(i))) {
                return 1;
            }
            if (j < b.length() && Character.isDigit(b.charAt(j))) {
                return -1;
            }
            if (firstDiff != 0) {
                return Integer.signum(firstDiff);
            }
        }
        return 0;
    }

    private static int order(char c) {
        if (Character.isDigit(c)) {
            return 0;
        }
        if (Character.isLetter(c)) {
            return c;
        }
        if (c == '~') {
            return -1;
        }
        return c + 256;
    }
}
