import ImportCore
import Testing
@testable import Providers

@Suite struct EntraRefusalTests {
    func refusal(_ error: String, _ description: String?, codes: [Int] = []) -> TokenRefusal {
        TokenRefusal(status: 400, error: error, description: description, codes: codes)
    }

    @Test func consentRequiredSaysAnAdministratorMustApprove() {
        let error = EntraRefusal.importError(refusal("consent_required", "The app needs consent."))
        #expect(error.code == .consentUnexpected)
        #expect(error.detail?.contains("administrator") == true)
    }

    @Test func aLongerCodeStartingTheSameIsNotTheAdminOne() {
        let error = EntraRefusal.importError(refusal("invalid_request", "AADSTS650011: something else entirely."))
        #expect(error.detail?.contains("administrator") == false)
    }

    @Test func aMissingPublicClientSwitchIsNamed() {
        let error = EntraRefusal.importError(refusal("invalid_client", "AADSTS7000218: The request body must contain the following parameter: 'client_assertion' or 'client_secret'.", codes: [7000218]))
        #expect(error.code == .consentUnexpected)
        #expect(error.detail?.contains("Allow public client flows") == true)
    }

    @Test func traceAndCorrelationIdsAreLeftOut() {
        let error = EntraRefusal.importError(refusal("invalid_grant", "AADSTS70000: The provided authorization code or refresh token is invalid or has expired. Trace ID: 5f1 Correlation ID: 9a2 Timestamp: 2026-12-04 22:43:18Z"))
        #expect(error.detail == "Microsoft refused the sign-in (invalid_grant: AADSTS70000: The provided authorization code or refresh token is invalid or has expired.)")
    }

    @Test func aDeclineNamedOnlyByItsCodeIs514() {
        let error = EntraRefusal.importError(refusal("access_denied", "AADSTS65004: User declined to consent to access the app."))
        #expect(error.code == .consentRefused)
    }
}
