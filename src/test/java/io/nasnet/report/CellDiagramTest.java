package io.nasnet.report;

import io.nasnet.space.Block;
import io.nasnet.space.Cell;
import io.nasnet.space.CellType;
import io.nasnet.space.Genotype;
import io.nasnet.space.Op;
import io.nasnet.space.Presets;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CellDiagramTest {

    static Document parse(String svg) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    static List<String> byClass(Document d, String tag, String cls) {
        List<String> out = new ArrayList<>();
        NodeList nodes = d.getElementsByTagName(tag);
        for (int i = 0; i < nodes.getLength(); i++) {
            Element e = (Element) nodes.item(i);
            if (e.getAttribute("class").equals(cls)) {
                out.add(e.getAttribute("class"));
            }
        }
        return out;
    }

    static List<String> texts(Document d) {
        List<String> out = new ArrayList<>();
        NodeList nodes = d.getElementsByTagName("text");
        for (int i = 0; i < nodes.getLength(); i++) {
            out.add(nodes.item(i).getTextContent());
        }
        return out;
    }

    @Test
    void nasnetANormalCellIsDrawnWithEveryOpAddAndEdge() throws Exception {
        Cell normal = Presets.NASNET_A.normal();
        CellDiagram diagram = CellDiagram.of(normal);
        Document svg = parse(diagram.svg());
        assertThat(byClass(svg, "rect", "op")).hasSize(10);
        assertThat(byClass(svg, "circle", "add")).hasSize(5);
        assertThat(byClass(svg, "path", "edge")).hasSize(4 * 5 + normal.concat().size());
        List<String> expected = new ArrayList<>();
        for (Block b : normal.blocks()) {
            expected.add(CellDiagram.label(b.op1()));
            expected.add(CellDiagram.label(b.op2()));
        }
        List<String> labels = texts(svg);
        assertThat(labels).containsAll(expected).contains("hi-1", "hi", "hi+1 = concat");
        assertThat(labels.stream().filter(expected::contains).count()).isEqualTo(10);
    }

    @Test
    void nodesNeverOverlapStayOnTheCanvasAndEdgesGoUpwards() {
        for (Genotype g : List.of(Presets.NASNET_A, chain())) {
            for (CellType type : CellType.values()) {
                CellDiagram d = CellDiagram.of(g.cell(type));
                List<CellDiagram.Node> nodes = d.nodes();
                for (int i = 0; i < nodes.size(); i++) {
                    CellDiagram.Node a = nodes.get(i);
                    assertThat(a.x() - a.w() / 2).as(a.id()).isGreaterThanOrEqualTo(0);
                    assertThat(a.top()).as(a.id()).isGreaterThanOrEqualTo(0);
                    for (int j = i + 1; j < nodes.size(); j++) {
                        CellDiagram.Node b = nodes.get(j);
                        boolean apart = a.x() + a.w() / 2 <= b.x() - b.w() / 2 || b.x() + b.w() / 2 <= a.x() - a.w() / 2
                                || a.bottom() <= b.top() || b.bottom() <= a.top();
                        assertThat(apart).as(a.id() + " and " + b.id() + " overlap").isTrue();
                    }
                }
                for (CellDiagram.Edge e : d.edges()) {
                    assertThat(e.from().y()).as(e.from().id() + " -> " + e.to().id()).isGreaterThan(e.to().y());
                }
            }
        }
    }

    /** Each block reads the one before: the tallest cell. Concat combines and an input in the output. */
    static Genotype chain() {
        List<Block> blocks = new ArrayList<>();
        for (int b = 0; b < 5; b++) {
            blocks.add(new Block(b + 1, Op.SEP_7X7, 0, Op.CONV_1X7_7X1, io.nasnet.space.Combine.CONCAT));
        }
        Cell c = new Cell(CellType.NORMAL, blocks, List.of(0, 6));
        Cell r = new Cell(CellType.REDUCTION, blocks, List.of(6));
        return new Genotype(c, r);
    }

    @Test
    void concatCombinesAndTheDotFormListTheSameGraph() throws Exception {
        Cell cell = chain().normal();
        CellDiagram d = CellDiagram.of(cell);
        Document svg = parse(d.svg());
        assertThat(byClass(svg, "rect", "concat")).hasSize(5);
        assertThat(byClass(svg, "circle", "add")).isEmpty();
        String dot = d.dot();
        assertThat(dot).startsWith("digraph normal_cell {").contains("rankdir=BT;");
        assertThat(dot.lines().filter(l -> l.contains(" -> ")).count()).isEqualTo(d.edges().size());
        // block 2 reads block 1 (state 3) and h_i; the output reads h_i and block 4
        assertThat(dot).contains("b1 -> b2_op1;", "in0 -> b2_op2;", "in0 -> out;", "b4 -> out;")
                .contains("b2_op1 [label=\"sep 7x7\"").contains("b2 [label=\"concat\"");
        assertThat(dot.lines().filter(l -> l.contains("-> out;")).count()).isEqualTo(2);
    }
}
