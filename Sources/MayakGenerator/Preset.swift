/// Sizes of generated districts.
public enum Preset: String, CaseIterable, Sendable {
    /// A rural district like the ones in our users' reports: 8 schools, about 3,000 pupils.
    case district
    /// A city: about 60,000 pupils in about 70 schools.
    case city
    /// A region: about 250,000 pupils in about 600 schools, about 100 million marks.
    case region

    var pupilTarget: Int {
        switch self {
        case .district: return 3_000
        case .city: return 60_000
        case .region: return 250_000
        }
    }

    var title: String {
        switch self {
        case .district: return "Приозёрный муниципальный округ"
        case .city: return "Город Приморск"
        case .region: return "Приозёрный край"
        }
    }
}

/// One school to generate: its place in the district and its character.
struct SchoolPlan {
    var index: Int
    var id: String
    var name: String
    var municipality: String
    var pupils: Int
    /// Only grades 1–9 (основная школа).
    var basicOnly: Bool
    /// Shifts every pupil's marks; weak schools (ШНОР) are well below zero.
    var quality: Double
    /// How far journal marks run above what ВПР shows (objectivity).
    var inflation: Double
}

extension Preset {
    /// Lays out the schools deterministically from the seed.
    func schools(seed: UInt64) -> [SchoolPlan] {
        var rng = SeededRandom(seed: seed, stream: 0xD15_7C7)
        var plans: [SchoolPlan] = []
        func character(_ rng: inout SeededRandom, weakShare: Double) -> (Double, Double) {
            let weak = rng.chance(weakShare)
            let q = rng.normal(0, 0.18) - (weak ? 0.38 : 0)
            let inflation = max(0, rng.normal(weak ? 0.35 : 0.12, 0.12))
            return (q, inflation)
        }
        switch self {
        case .district:
            let sizes = [640, 560, 470, 410, 350, 270, 180, 120]
            var villages = Names.settlements
            for (i, size) in sizes.enumerated() {
                let village = villages.remove(at: rng.int(0...(villages.count - 1)))
                let basic = i >= 6
                let (q, inf) = character(&rng, weakShare: i == 0 ? 0 : (i >= 5 ? 0.6 : 0.25))
                let kind = basic ? "МБОУ «ООШ с. \(village)»" : "МБОУ «СОШ № \(i + 1) с. \(village)»"
                plans.append(
                    SchoolPlan(
                        index: i, id: String(format2("SH", i + 1)), name: kind, municipality: "с. \(village)",
                        pupils: size, basicOnly: basic, quality: q, inflation: inf))
            }
        case .city:
            var total = 0
            var i = 0
            while total < pupilTarget {
                let size = rng.int(420...1_300)
                let (q, inf) = character(&rng, weakShare: 0.15)
                let number = i + 1
                let kind =
                    rng.chance(0.08)
                    ? "МАОУ «Гимназия № \(number)»"
                    : (rng.chance(0.06) ? "МАОУ «Лицей № \(number)»" : "МБОУ «СОШ № \(number)»")
                plans.append(
                    SchoolPlan(
                        index: i, id: format2("SH", number, width: 3), name: kind,
                        municipality: Names.cityDistricts[i % Names.cityDistricts.count],
                        pupils: min(size, pupilTarget - total + 50), basicOnly: false, quality: q + 0.1, inflation: inf)
                )
                total += plans[i].pupils
                i += 1
            }
        case .region:
            var total = 0
            var i = 0
            while total < pupilTarget {
                let municipality = Names.municipalities[(i / 25) % Names.municipalities.count] + " муниципальный округ"
                let town = rng.chance(0.3)
                let size = town ? rng.int(500...1_200) : rng.int(60...450)
                let basic = !town && size < 200
                let (q, inf) = character(&rng, weakShare: town ? 0.12 : 0.3)
                let village = rng.pick(Names.settlements)
                let name =
                    basic
                    ? "МБОУ «ООШ с. \(village)»" : (town ? "МБОУ «СОШ № \(i % 25 + 1)»" : "МБОУ «СОШ с. \(village)»")
                plans.append(
                    SchoolPlan(
                        index: i, id: format2("SH", i + 1, width: 4), name: name, municipality: municipality,
                        pupils: min(size, pupilTarget - total + 40), basicOnly: basic, quality: q, inflation: inf))
                total += plans[i].pupils
                i += 1
            }
        }
        return plans
    }
}

func format2(_ prefix: String, _ n: Int, width: Int = 2) -> String {
    let digits = String(n)
    return prefix + String(repeating: "0", count: max(0, width - digits.count)) + digits
}
