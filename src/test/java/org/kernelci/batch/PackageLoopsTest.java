package org.kernelci.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Dependencies between the project's packages point one way: no package reaches itself again
 * through others (a loop makes the stages one tangle, and the shape the folders show untrue).
 */
class PackageLoopsTest {

    @Test
    @DisplayName("the main sources' packages form no loop")
    void noPackageLoops() {
        PackageGraph graph = PackageGraph.of(JavaSources.main());
        assertTrue(graph.packages().size() >= 10, "the main sources were not found: " + graph.packages());
        assertTrue(graph.dependsOn("org.kernelci.batch.plan", "org.kernelci.batch.schema"),
                "the graph misses plain imports");
        assertEquals(List.of(), graph.loops());
    }

    @Test
    @DisplayName("a made-up loop is found and named, with a file that makes each of its arrows")
    void findsAMadeUpLoop() {
        PackageGraph graph = PackageGraph.of(List.of(
                source("a/First.java", "org.kernelci.batch.a", "import org.kernelci.batch.b.Second;"),
                source("b/Second.java", "org.kernelci.batch.b", "import org.kernelci.batch.c.Third;"),
                // A qualified name without an import is a dependency too.
                source("c/Third.java", "org.kernelci.batch.c",
                        "class Third { org.kernelci.batch.a.First first; }"),
                source("d/Fourth.java", "org.kernelci.batch.d", "import org.kernelci.batch.a.First;")));

        List<String> loops = graph.loops();

        assertEquals(1, loops.size(), loops.toString());
        assertEquals("packages org.kernelci.batch.a, org.kernelci.batch.b, org.kernelci.batch.c loop: "
                + "org.kernelci.batch.a -> org.kernelci.batch.b (a/First.java) -> org.kernelci.batch.c (b/Second.java)"
                + " -> org.kernelci.batch.a (c/Third.java)", loops.get(0));
    }

    @Test
    @DisplayName("two packages that use each other are a loop; what comments and strings name is no arrow")
    void twoPackagesAndWhatIsNoArrow() {
        PackageGraph graph = PackageGraph.of(List.of(
                source("a/First.java", "org.kernelci.batch.a",
                        "import org.kernelci.batch.b.Second; // see {@link org.kernelci.batch.c.Third}"),
                source("b/Second.java", "org.kernelci.batch.b", "import static org.kernelci.batch.a.First.ONE;"),
                source("c/Third.java", "org.kernelci.batch.c",
                        "/** {@link org.kernelci.batch.a.First} */ class Third { String s = \"org.kernelci.batch.a.First\"; }")));

        assertEquals(1, graph.loops().size(), graph.loops().toString());
        assertTrue(graph.loops().get(0).startsWith("packages org.kernelci.batch.a, org.kernelci.batch.b loop"));
        assertFalse(graph.dependsOn("org.kernelci.batch.c", "org.kernelci.batch.a"));
        assertFalse(graph.dependsOn("org.kernelci.batch.a", "org.kernelci.batch.c"));
    }

    private static JavaSources.Source source(String file, String packageName, String body) {
        return JavaSources.Source.of(file, "package " + packageName + ";\n\n" + body + "\n");
    }

    /** Which project packages each package's files name, and a file for each arrow. */
    static final class PackageGraph {
        private final Map<String, Map<String, String>> arrows;

        private PackageGraph(Map<String, Map<String, String>> arrows) {
            this.arrows = arrows;
        }

        static PackageGraph of(List<JavaSources.Source> sources) {
            Map<String, Map<String, String>> arrows = new TreeMap<>();
            for (JavaSources.Source source : sources) {
                Map<String, String> from = arrows.computeIfAbsent(source.packageName(), name -> new TreeMap<>());
                for (String used : source.projectPackages()) {
                    from.putIfAbsent(used, source.file());
                    arrows.computeIfAbsent(used, name -> new TreeMap<>());
                }
            }
            return new PackageGraph(arrows);
        }

        Set<String> packages() {
            return arrows.keySet();
        }

        boolean dependsOn(String from, String to) {
            return arrows.getOrDefault(from, Map.of()).containsKey(to);
        }

        /**
         * Each set of packages that reach each other (a strongly connected component of more than
         * one package), described with one loop through its first package and a file per arrow.
         */
        List<String> loops() {
            List<String> loops = new ArrayList<>();
            for (Set<String> component : components()) {
                if (component.size() > 1) {
                    loops.add("packages " + String.join(", ", component) + " loop: " + cycle(component));
                }
            }
            return loops;
        }

        /** The shortest way from the component's first package back to it, each arrow with its file. */
        private String cycle(Set<String> component) {
            String start = component.iterator().next();
            Map<String, String> previous = new HashMap<>();
            Deque<String> queue = new ArrayDeque<>(List.of(start));
            while (!queue.isEmpty() && !previous.containsKey(start)) {
                String at = queue.removeFirst();
                for (String next : arrows.get(at).keySet()) {
                    if (component.contains(next) && !previous.containsKey(next)) {
                        previous.put(next, at);
                        queue.addLast(next);
                    }
                }
            }
            List<String> path = new ArrayList<>(List.of(start));
            for (String at = previous.get(start); !at.equals(start); at = previous.get(at)) {
                path.add(0, at);
            }
            path.add(0, start);
            StringBuilder cycle = new StringBuilder(start);
            for (int i = 1; i < path.size(); i++) {
                cycle.append(" -> ").append(path.get(i)).append(" (")
                        .append(arrows.get(path.get(i - 1)).get(path.get(i))).append(")");
            }
            return cycle.toString();
        }

        /** Tarjan's strongly connected components, each sorted, in the order they close. */
        private List<Set<String>> components() {
            Map<String, Integer> index = new HashMap<>();
            Map<String, Integer> low = new HashMap<>();
            Deque<String> stack = new ArrayDeque<>();
            Set<String> onStack = new TreeSet<>();
            List<Set<String>> components = new ArrayList<>();
            for (String root : arrows.keySet()) {
                if (!index.containsKey(root)) {
                    visit(root, index, low, stack, onStack, components);
                }
            }
            return components;
        }

        private void visit(String at, Map<String, Integer> index, Map<String, Integer> low, Deque<String> stack,
                           Set<String> onStack, List<Set<String>> components) {
            index.put(at, index.size());
            low.put(at, index.get(at));
            stack.push(at);
            onStack.add(at);
            for (String next : arrows.get(at).keySet()) {
                if (!index.containsKey(next)) {
                    visit(next, index, low, stack, onStack, components);
                    low.put(at, Math.min(low.get(at), low.get(next)));
                } else if (onStack.contains(next)) {
                    low.put(at, Math.min(low.get(at), index.get(next)));
                }
            }
            if (low.get(at).equals(index.get(at))) {
                Set<String> component = new TreeSet<>();
                String member;
                do {
                    member = stack.pop();
                    onStack.remove(member);
                    component.add(member);
                } while (!member.equals(at));
                components.add(component);
            }
        }
    }
}
