import Foundation
import Testing

@testable import OrgBatch

@Suite("STS client: query protocol and XML answers")
struct STSClientTests {
    @Test func getCallerIdentity() throws {
        let transport = ScriptedTransport([
            ScriptedTransport.text(
                200,
                """
                <GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
                  <GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/x</Arn><UserId>AIDAEXAMPLE</UserId><Account>123456789012</Account></GetCallerIdentityResult>
                  <ResponseMetadata><RequestId>r</RequestId></ResponseMetadata>
                </GetCallerIdentityResponse>
                """)
        ])
        let identity = try STSClient(requester: Fixtures.requester(.sts, transport)).getCallerIdentity()
        #expect(identity == CallerIdentity(account: "123456789012", arn: "arn:aws:iam::123456789012:user/x", userId: "AIDAEXAMPLE"))
        #expect(transport.sent[0].bodyText == "Action=GetCallerIdentity&Version=2011-06-15")
        #expect(transport.sent[0].header("Content-Type") == "application/x-www-form-urlencoded; charset=utf-8")
    }

    @Test func assumeRoleParsesCredentials() throws {
        let transport = ScriptedTransport([
            STSResponses.assumeRole(keyID: "ASIAX", secret: "sek/ret+=", token: "tok&amp;en", expiration: "2011-07-15T23:28:33.359Z")
        ])
        let role = try STSClient(requester: Fixtures.requester(.sts, transport)).assumeRole(
            roleARN: "arn:aws:iam::1:role/R", sessionName: "batch run 1", externalID: "e", durationSeconds: 900)
        #expect(role.credentials.accessKeyID == "ASIAX")
        #expect(role.credentials.signing.secretAccessKey == "sek/ret+=")
        #expect(role.credentials.signing.sessionToken == "tok&en")
        #expect(role.credentials.expiration == Date(timeIntervalSince1970: 1_310_772_513.359))
        #expect(role.assumedRoleARN == "arn:aws:sts::111111111111:assumed-role/Admin/s")
        #expect(
            transport.sent[0].bodyText
                == "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A1%3Arole%2FR&RoleSessionName=batch%20run%201&DurationSeconds=900&ExternalId=e")
    }

    @Test func timestamps() {
        #expect(STSClient.parseTimestamp("2019-11-09T13:34:41Z") == Date(timeIntervalSince1970: 1_573_306_481))
        #expect(STSClient.parseTimestamp("nonsense") == nil)
    }

    @Test func xmlText() {
        let xml = "<A><CodeX>no</CodeX><Code a=\"1\">yes &lt;&#65;&#x42;&gt;</Code><Empty/></A>"
        #expect(XMLText.first("Code", in: xml) == "yes <AB>")
        #expect(XMLText.first("Empty", in: xml) == "")
        #expect(XMLText.first("Missing", in: xml) == nil)
    }
}
