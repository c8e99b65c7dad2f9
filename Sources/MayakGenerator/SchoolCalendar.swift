import MayakSnapshot

/// The generator uses the standard calendar (MayakSnapshot.StandardCalendar).
typealias SchoolCalendar = StandardCalendar
