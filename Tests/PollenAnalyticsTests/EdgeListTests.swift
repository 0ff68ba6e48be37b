import PollenAnalytics
import Testing

@Suite struct EdgeListTests {
    @Test func readsHeaderAndRows() throws {
        let edges = try EdgeList.parseCSV("src,dst\n0,1\n1,2\n12,0\n")
        #expect(edges.sources == [0, 1, 12] && edges.destinations == [1, 2, 0])
    }

    @Test func acceptsCRLFBlankLinesPaddingAndNoFinalNewline() throws {
        let edges = try EdgeList.parseCSV("\u{FEFF}src, dst\r\n 3 , 4\r\n\r\n5,6\r\n\r\n")
        #expect(edges == EdgeList(sources: [3, 5], destinations: [4, 6]))
        #expect(try EdgeList.parseCSV("src,dst\n7,8") == EdgeList(sources: [7], destinations: [8]))
        #expect(try EdgeList.parseCSV("src,dst\n").count == 0)
        #expect(try EdgeList.parseCSV(Array("src,dst\n1,2\n".utf8)) == EdgeList(sources: [1], destinations: [2]))
    }

    @Test func badRowsNameTheirLine() {
        #expect(throws: EdgeListParseError(line: 3, reason: "dst is not a non-negative integer in \"2,x\"")) {
            try EdgeList.parseCSV("src,dst\n0,1\n2,x\n")
        }
        #expect(throws: EdgeListParseError(line: 4, reason: "expected \"src,dst\", found \"7\"")) {
            try EdgeList.parseCSV("src,dst\r\n0,1\r\n\r\n7\r\n")
        }
        #expect(throws: EdgeListParseError(line: 2, reason: "expected two integer fields, found \"1,2,3\"")) {
            try EdgeList.parseCSV("src,dst\n1,2,3\n")
        }
        #expect(throws: EdgeListParseError(line: 2, reason: "src is not a non-negative integer in \"-1,2\"")) {
            try EdgeList.parseCSV("src,dst\n-1,2\n")
        }
        #expect(throws: EdgeListParseError(line: 2, reason: "src id is larger than 2147483647 in \"2147483648,0\"")) {
            try EdgeList.parseCSV("src,dst\n2147483648,0\n")
        }
    }

    @Test func theHeaderIsRequired() {
        #expect(throws: EdgeListParseError(line: 1, reason: "expected header \"src,dst\", found \"0,1\"")) {
            try EdgeList.parseCSV("0,1\n1,2\n")
        }
        #expect(throws: EdgeListParseError(line: 1, reason: "empty input; expected header \"src,dst\"")) {
            try EdgeList.parseCSV("")
        }
    }

    @Test func errorsReadWithTheirLineNumber() {
        #expect("\(EdgeListParseError(line: 9, reason: "bad"))" == "line 9: bad")
    }

    @Test func parsedEdgesBuildAGraph() throws {
        let g = try Graph(edgeList: EdgeList.parseCSV("src,dst\n0,1\n1,2\n"))
        #expect(g.nodeCount == 3 && g.outTargets == [1, 2])
    }
}
