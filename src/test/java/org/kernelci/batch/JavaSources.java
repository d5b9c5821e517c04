package org.kernelci.batch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The project's Java sources as the structure tests read them: each file's package and its code
 * without comments and literals, so that what a comment or a message mentions is no dependency.
 */
final class JavaSources {
    /** The source roots of the code that ships: the WAR, the command-line tool, the launcher. */
    static final List<Path> MAIN_ROOTS = List.of(Path.of("src/main/java"), Path.of("src/cli/java"),
            Path.of("src/launcher/java"));
    static final String BASE = "org.kernelci.batch";
    /** A reference to a project type: its package (lowercase segments), then a type or a wildcard. */
    private static final Pattern PROJECT_REFERENCE =
            Pattern.compile("\\b" + Pattern.quote(BASE) + "((?:\\s*\\.\\s*[a-z_][a-z0-9_]*)*)\\s*\\.\\s*(?:[A-Z]|\\*)");
    private static final Pattern PACKAGE = Pattern.compile("^\\s*package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);

    /** One file: where it is, its package, and its code without comments, strings and characters. */
    record Source(String file, String packageName, String code) {
        static Source of(String file, String text) {
            String code = withoutComments(text);
            Matcher declared = PACKAGE.matcher(code);
            return new Source(file, declared.find() ? declared.group(1) : "", code);
        }

        /** The project's packages this file's code names (imports and qualified names), its own left out. */
        Set<String> projectPackages() {
            Set<String> packages = new TreeSet<>();
            Matcher reference = PROJECT_REFERENCE.matcher(code);
            while (reference.find()) {
                String referenced = BASE + reference.group(1).replaceAll("\\s", "");
                if (!referenced.equals(packageName)) {
                    packages.add(referenced);
                }
            }
            return packages;
        }

        /** The prefixes under which the code names something ({@code java.sql}: an import or a name {@code java.sql.…}). */
        List<String> names(List<String> prefixes) {
            List<String> found = new ArrayList<>();
            for (String prefix : prefixes) {
                List<String> segments = new ArrayList<>();
                for (String segment : prefix.split("\\.")) {
                    segments.add(Pattern.quote(segment));
                }
                if (Pattern.compile("(?<![\\w.])" + String.join("\\s*\\.\\s*", segments) + "\\s*\\.").matcher(code).find()) {
                    found.add(prefix);
                }
            }
            return found;
        }
    }

    private JavaSources() {
    }

    /** Every Java file under the main roots. */
    static List<Source> main() {
        List<Source> sources = new ArrayList<>();
        for (Path root : MAIN_ROOTS) {
            try (Stream<Path> files = Files.walk(root)) {
                for (Path file : files.filter(path -> path.toString().endsWith(".java")).sorted().toList()) {
                    sources.add(Source.of(file.toString(), Files.readString(file, StandardCharsets.UTF_8)));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return sources;
    }

    /**
     * The text with comments removed and the contents of string, text block and character
     * literals emptied (their quotes kept), line breaks kept.
     */
    static String withoutComments(String text) {
        StringBuilder code = new StringBuilder(text.length());
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (text.startsWith("//", i)) {
                while (i < text.length() && text.charAt(i) != '\n') {
                    i++;
                }
            } else if (text.startsWith("/*", i)) {
                int end = text.indexOf("*/", i + 2);
                end = end < 0 ? text.length() : end + 2;
                code.append(" ").append(lineBreaks(text, i, end));
                i = end;
            } else if (text.startsWith("\"\"\"", i)) {
                int end = closing(text, i + 3, "\"\"\"");
                code.append("\"\"\"").append(lineBreaks(text, i, end)).append("\"\"\"");
                i = end + 3;
            } else if (c == '"' || c == '\'') {
                int end = closing(text, i + 1, String.valueOf(c));
                code.append(c).append(c);
                i = end + 1;
            } else {
                code.append(c);
                i++;
            }
        }
        return code.toString();
    }

    /** Where the literal opened before {@code from} closes: the first unescaped {@code quote}. */
    private static int closing(String text, int from, String quote) {
        int i = from;
        while (i < text.length() && !text.startsWith(quote, i)) {
            i += text.charAt(i) == '\\' ? 2 : 1;
        }
        return Math.min(i, text.length());
    }

    private static String lineBreaks(String text, int from, int to) {
        return "\n".repeat((int) text.substring(from, Math.min(to, text.length())).chars().filter(c -> c == '\n').count());
    }
}
