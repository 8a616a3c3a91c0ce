import Testing

@testable import OrgBatchCurl

@Suite("ProxySettings: the environment's proxies, as libcurl reads them")
struct ProxySettingsTests {
    @Test("https: https_proxy, HTTPS_PROXY, all_proxy, ALL_PROXY, the first not empty", arguments: [
        (["https_proxy": "a", "HTTPS_PROXY": "b", "all_proxy": "c"], "a"),
        (["https_proxy": "", "HTTPS_PROXY": "b", "all_proxy": "c"], "b"),
        (["all_proxy": "c", "ALL_PROXY": "d"], "c"),
        (["ALL_PROXY": "d"], "d"),
        (["http_proxy": "e"], nil),
        ([:], nil),
    ] as [([String: String], String?)])
    func https(_ environment: [String: String], _ proxy: String?) {
        #expect(ProxySettings(environment: environment).https == proxy)
    }

    @Test("http: http_proxy, all_proxy, ALL_PROXY; never HTTP_PROXY", arguments: [
        (["http_proxy": "a", "all_proxy": "c"], "a"),
        (["HTTP_PROXY": "b"], nil),
        (["HTTP_PROXY": "b", "ALL_PROXY": "d"], "d"),
        (["https_proxy": "e"], nil),
    ] as [([String: String], String?)])
    func http(_ environment: [String: String], _ proxy: String?) {
        #expect(ProxySettings(environment: environment).http == proxy)
    }

    @Test func noProxyLowercaseFirst() {
        #expect(ProxySettings(environment: ["no_proxy": "a.example", "NO_PROXY": "b.example"]).noProxy == "a.example")
        #expect(ProxySettings(environment: ["NO_PROXY": "b.example"]).noProxy == "b.example")
        #expect(ProxySettings(environment: ["no_proxy": ""]).noProxy == nil)
    }

    @Test func aRequestTakesItsSchemesProxyOrNone() {
        let proxies = ProxySettings(https: "http://proxy:3128", http: nil)
        #expect(proxies.proxy(forHTTPS: true) == "http://proxy:3128")
        #expect(proxies.proxy(forHTTPS: false) == "")
    }
}
