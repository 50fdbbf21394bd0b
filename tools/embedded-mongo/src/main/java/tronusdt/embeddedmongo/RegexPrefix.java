package tronusdt.embeddedmongo;

/** The literal text every match of an anchored regular expression starts with. */
final class RegexPrefix {

    private RegexPrefix() {
    }

    /**
     * For `^abc.*xyz$`, "abc"; null when the pattern is not anchored, has an alternation (which could end the
     * anchored branch), or starts with anything but letters and digits. A letter followed by a quantifier
     * (`^ab?`) is not part of the prefix. Only letters and digits are taken, so no escape can be misread.
     */
    static String of(String pattern) {
        if (!pattern.startsWith("^") || pattern.indexOf('|') >= 0) {
            return null;
        }
        StringBuilder prefix = new StringBuilder();
        for (int i = 1; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '*' || c == '?' || c == '{') {
                if (prefix.length() > 0) {
                    prefix.setLength(prefix.length() - 1);
                }
                break;
            }
            if (!isAsciiLetterOrDigit(c)) {
                break;
            }
            prefix.append(c);
        }
        return prefix.length() == 0 ? null : prefix.toString();
    }

    private static boolean isAsciiLetterOrDigit(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }
}
