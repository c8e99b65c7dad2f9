import MayakHistory

/// What a signed-in member of staff may see and act on. Every page, form and API call asks
/// this one type; nothing else decides. A class teacher reaches their classes, a deputy head
/// their school, the department every school; an administrator manages accounts and sees no
/// pupil. What is out of reach is answered as if it did not exist (404), so an address reveals
/// nothing.
public struct Scope: Sendable, Equatable {
    public enum Reach: Sendable, Equatable {
        case classes(Set<String>)
        case school(String)
        case district
        /// Administrators: accounts only.
        case accounts
    }

    public let reach: Reach

    public init(_ account: Account) {
        switch account.role {
        case .teacher: reach = .classes(Set(account.classIDs))
        case .deputy: reach = .school(account.schoolID ?? "")
        case .department: reach = .district
        case .admin: reach = .accounts
        }
    }

    public init(reach: Reach) { self.reach = reach }

    /// Whether an alert, pupil or class of this school and class (classID "" for the school's
    /// own alerts) is in reach.
    public func sees(schoolID: String, classID: String) -> Bool {
        switch reach {
        case .classes(let ids): return !classID.isEmpty && ids.contains(classID)
        case .school(let id): return schoolID == id
        case .district: return true
        case .accounts: return false
        }
    }

    /// Whether the school's page (its list of pupils and its own alerts) is in reach.
    public func seesSchool(_ schoolID: String) -> Bool {
        switch reach {
        case .school(let id): return schoolID == id
        case .district: return true
        case .classes, .accounts: return false
        }
    }

    public func sees(_ alert: RunAlert) -> Bool { sees(schoolID: alert.schoolID, classID: alert.classID) }
}
