package org.kernelci.batch.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The WAR's web.xml puts {@link ConditionalBatchFilter} where the embedded servers do. */
class ConditionalBatchFilterTest {
    @Test
    @DisplayName("web.xml maps the filter on the batch paths, after MalformedMediaTypes and RequestBodies, in the ASYNC dispatch too")
    void declaredInWebXml() throws Exception {
        Document webXml = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(Path.of("webapp/WEB-INF/web.xml").toFile());
        String name = null;
        NodeList declared = webXml.getElementsByTagName("filter");
        for (int i = 0; i < declared.getLength(); i++) {
            Element filter = (Element) declared.item(i);
            String filterName = text(filter, "filter-name");
            if (text(filter, "filter-class").equals(ConditionalBatchFilter.class.getName())) {
                name = filterName;
            }
        }
        List<String> mappingOrder = new ArrayList<>();
        List<String> patterns = new ArrayList<>();
        List<String> asyncToo = new ArrayList<>();
        NodeList mappings = webXml.getElementsByTagName("filter-mapping");
        for (int i = 0; i < mappings.getLength(); i++) {
            Element mapping = (Element) mappings.item(i);
            mappingOrder.add(text(mapping, "filter-name"));
            List<String> dispatchers = new ArrayList<>();
            NodeList dispatcher = mapping.getElementsByTagName("dispatcher");
            for (int j = 0; j < dispatcher.getLength(); j++) {
                dispatchers.add(dispatcher.item(j).getTextContent().strip());
            }
            if (dispatchers.equals(List.of("REQUEST", "ASYNC"))) {
                asyncToo.add(text(mapping, "filter-name"));
            }
            if (text(mapping, "filter-name").equals(name)) {
                NodeList urls = mapping.getElementsByTagName("url-pattern");
                for (int j = 0; j < urls.getLength(); j++) {
                    patterns.add(urls.item(j).getTextContent().strip());
                }
            }
        }
        assertEquals(ConditionalBatchFilter.PATHS, patterns);
        // As Launcher.webApp orders them: hidden media types first; CORS before the kept batches' 304s, so those carry its headers.
        // The bodies read before the kept batches' 304s, which read them from memory.
        assertEquals(List.of("malformed-media-types", "cross-origins", "request-bodies", name), mappingOrder,
                "the filters' order, as embedded");
        // RequestBodies sends the bodies it read on in an ASYNC dispatch: the two run there too.
        assertEquals(List.of("request-bodies", name), asyncToo, "the filters of the ASYNC dispatch");
    }

    private static String text(Element parent, String tag) {
        return parent.getElementsByTagName(tag).item(0).getTextContent().strip();
    }
}
