@testable import FieldbookWorkbench
import Testing

/// The workbench's defences that do not need a browser: escaping, the form token's reading,
/// the same-origin rule, and the upload's field names.
struct WorkbenchGateTests {
    @Test("workspace text is escaped in content and attributes, so a hostile name is shown, never run")
    func escaping() {
        let hostile = #"<img src=x onerror="alert(1)">&'"#
        let page: HTML = .element("p", [("title", hostile)], [.text(hostile)])
        #expect(page.rendered == #"<p title="&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&amp;&#39;">&lt;img src=x onerror="alert(1)"&gt;&amp;'</p>"#)
    }

    @Test("a form body decodes + as a space and %XX as bytes, repeated fields kept in order")
    func formDecoding() {
        let form = FormInput(values: FormInput.parse("title=Bias+%26+drift&unlink=a&unlink=b&empty=&csrf=t%2Bk"))
        #expect(form["title"] == "Bias & drift")
        #expect(form.all("unlink") == ["a", "b"])
        #expect(form.text("empty") == nil)
        #expect(form["csrf"] == "t+k")
    }

    @Test("the page to return to is a path on this origin only")
    func back() {
        #expect(FormInput(values: ["back": ["/risks?page=2"]]).back == "/risks?page=2")
        for hostile in ["//evil.example/", "https://evil.example/", "/\\evil.example", "javascript:alert(1)"] {
            #expect(FormInput(values: ["back": [hostile]]).back == "/")
        }
    }

    @Test("a write is same-origin by its Origin, or by Sec-Fetch-Site when Origin is null")
    func sameOrigin() {
        let allowed = ["http://127.0.0.1:8080", "http://localhost:8080"]
        #expect(GateMiddleware.sameOrigin(origin: "http://127.0.0.1:8080", fetchSite: "same-origin", allowed: allowed))
        #expect(!GateMiddleware.sameOrigin(origin: "http://evil.example", fetchSite: "cross-site", allowed: allowed))
        #expect(!GateMiddleware.sameOrigin(origin: "http://127.0.0.1:9090", fetchSite: nil, allowed: allowed))
        #expect(GateMiddleware.sameOrigin(origin: "null", fetchSite: "same-origin", allowed: allowed))
        #expect(!GateMiddleware.sameOrigin(origin: "null", fetchSite: "cross-site", allowed: allowed))
        #expect(!GateMiddleware.sameOrigin(origin: "null", fetchSite: nil, allowed: allowed))
        #expect(!GateMiddleware.sameOrigin(origin: nil, fetchSite: "same-site", allowed: allowed))
        #expect(GateMiddleware.sameOrigin(origin: nil, fetchSite: nil, allowed: allowed))
    }

    @Test("the secret opens the gate only when given whole; sessions are this process's own")
    func secret() {
        let gate = SessionGate(secret: "abc123")
        #expect(gate.opens("abc123"))
        #expect(!gate.opens("abc12"))
        #expect(!gate.opens("abc1234"))
        #expect(!gate.opens(""))
        let session = gate.startSession()
        #expect(gate.session(cookie: session.id)?.formToken == session.formToken)
        #expect(gate.session(cookie: "forged") == nil)
        #expect(gate.session(cookie: nil) == nil)
        #expect(SessionGate.randomToken().count == 43)
        #expect(SessionGate.randomToken() != SessionGate.randomToken())
    }

    @Test("an upload's part names its field and file; a path in the file name is dropped")
    func disposition() {
        #expect(UploadedForm.disposition(#"form-data; name="file"; filename="../../etc/passwd""#) == ("file", "passwd"))
        #expect(UploadedForm.disposition(#"form-data; name="description""#) == ("description", nil))
        #expect(UploadedForm.boundary("multipart/form-data; boundary=----x123") == "----x123")
        #expect(UploadedForm.boundary("application/x-www-form-urlencoded") == nil)
    }
}
