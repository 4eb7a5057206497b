package risk

// Reason codes. Every signal a layer adds carries one of these stable,
// machine-readable codes (analyst rules add "rule.NAME" and
// "rule_error.NAME"). Codes are "layer.reason"; they never change meaning
// once published, so decision records stay comparable across versions.
const (
	// Lists layer.
	CodeBlockedCustomer     = "lists.blocked_customer"     // the customer is on the block list
	CodeBlockedDevice       = "lists.blocked_device"       // the device is on the block list
	CodeBlockedNetwork      = "lists.blocked_network"      // the IP address is in a blocked network
	CodeBlockedCounterparty = "lists.blocked_counterparty" // the payee or merchant is on the block list
	CodeAllowedCustomer     = "lists.allowed_customer"     // the customer is on the allow list
	CodeAllowedDevice       = "lists.allowed_device"       // the device is on the allow list
	CodeAllowedNetwork      = "lists.allowed_network"      // the IP address is in an allowed network
	CodeAllowedCounterparty = "lists.allowed_counterparty" // the payee or merchant is on the allow list (a trusted beneficiary)
	CodeListsError          = "lists.error"                // the Lists implementation failed

	// Limits layer.
	CodeLimitTransaction = "limits.per_transaction" // the amount exceeds the per-transaction limit
	CodeLimitChannel     = "limits.channel"         // the amount exceeds the channel's per-transaction limit
	CodeLimitDaily       = "limits.daily"           // today's debits plus the amount exceed the daily limit
	CodeLimitLevel       = "limits.level"           // the daily limit of the authentication level presented is exceeded

	// Velocity layer.
	CodeBurst    = "velocity.burst_1h"  // debits in the last hour improbably many for this customer
	CodeDayCount = "velocity.count_24h" // debits in the last 24 hours improbably many for this customer

	// Habit layer.
	CodeNewDevice        = "habit.new_device"        // device never seen, or first seen recently
	CodeNoDevice         = "habit.no_device"         // remote payment without a device fingerprint
	CodeNewNetwork       = "habit.new_network"       // IP network never seen
	CodeNewCountry       = "habit.new_country"       // country never seen, or first seen recently, and not home
	CodeImpossibleTravel = "habit.impossible_travel" // faster than an airliner from the last known place
	CodeFastTravel       = "habit.fast_travel"       // faster than ground travel from the last known place
	CodeNewPlace         = "habit.new_place"         // a place (0.1° cell) never seen
	CodeUnusualHour      = "habit.unusual_hour"      // an hour of the day the customer is rarely active
	CodeRareChannel      = "habit.rare_channel"      // a channel the customer rarely uses
	CodeNewPayee         = "habit.new_payee"         // transfer to a payee never paid, or first paid recently
	CodeNewMerchant      = "habit.new_merchant"      // payment to a merchant or biller never paid
	CodeUnusualAmount    = "habit.unusual_amount"    // amount far above the customer's habit for the kind
	CodeNoAmountHabit    = "habit.no_amount_habit"   // too little history of the kind, or a foreign currency
	CodeNoChip           = "habit.no_chip"           // card-present payment without the card's chip (magnetic stripe)

	// External model layer.
	CodeModel      = "model.score" // the Scorer's score
	CodeModelError = "model.error" // the Scorer failed or returned a score outside [0, 1]

	// Analyst rules: CodeRulePrefix+name when a rule fires,
	// CodeRuleErrorPrefix+name when it fails at run time.
	CodeRulePrefix      = "rule."
	CodeRuleErrorPrefix = "rule_error."

	// Policy.
	CodeNewCustomer   = "policy.new_customer"           // no profile: the new-customer policy applied
	CodeCoolingOff    = "policy.cooling_off"            // an unusual amount to a new payee: held
	CodeAuthSatisfied = "policy.auth_satisfied"         // the authentication presented already meets the level required
	CodeChannelCannot = "policy.channel_cannot_step_up" // the channel cannot authenticate at the level required
	CodeFailSafe      = "policy.fail_safe"              // a layer failed: the fail-safe outcome applied
	CodeSCARequired   = "psd2.sca_required"             // PSD2: strong customer authentication required
	CodeLowValue      = "psd2.art16_low_value"          // PSD2 RTS Art. 16 low-value exemption applied
	CodeTRA           = "psd2.art18_transaction_risk"   // PSD2 RTS Art. 18 transaction-risk-analysis exemption applied
	CodeAmountLowered = "policy.amount_allowed_lowered" // a lower amount would be allowed without further action
)

// Signal groups. Signals in one group describe the same evidence (a new
// country and a new place during one trip); the risk takes the strongest
// signal of each group and combines groups by noisy-OR, so correlated
// evidence is not counted twice.
const (
	gDevice = iota
	gNetwork
	gLocation
	gHour
	gChannel
	gCounterparty
	gAmount
	gInstrument
	gVelocity
	gModel
	numGroups
	gHabitEnd = gInstrument + 1 // groups [0, gHabitEnd) make the habit consistency score
)
