app-title = Sakshy — the police service model
index-intro = Quadrants, district inspectors and police points of { $city }.
index-locate = Find the district inspector for my address
index-lat = Latitude
index-lon = Longitude
index-submit = Find
index-api = Open API
index-illustrative = Demo city: boundaries and data are illustrative.
error-missing-field = The field "{ $field }" is required.
error-not-a-number = The field "{ $field }" must be a number, got "{ $value }".
error-out-of-range = The field "{ $field }" must be between { $min } and { $max }, got { $value }.
error-outside-quadrants = This point is outside every quadrant. The nearest quadrant is { $quadrant }, { $distance } m away.
error-no-quadrants = This point is outside every quadrant, and no quadrants are loaded yet.
error-not-found = { $what } was not found.
error-no-city = No city is loaded yet: import territories first.
error-internal = Something went wrong on our side. Please try again later.
error-bad-query = Invalid query parameters: { $detail }
intake-divert = This cannot wait in a queue: call { $numbers } now. No appeal was registered.
intake-unknown-category = There is no category "{ $value }".
intake-empty-description = Describe the problem.
intake-description-too-long = The description has { $chars } characters; at most { $max } are accepted.
intake-contact-required = This category needs your name and a phone or e-mail: anonymous appeals are considered only when they report a crime.
intake-consent-required = If you give contact details, consent to the processing of personal data is required.
intake-outside-city = This point is outside the city. The nearest quadrant is { $quadrant }, { $distance } m away.
intake-unknown-point = There is no police point "{ $value }".
intake-empty-address = The address is empty.
intake-no-routing = Appeal categories are not loaded yet.
intake-bad-body = The request body is invalid: { $detail }
intake-idempotency-conflict = This Idempotency-Key was already used for a different request.
error-tracking-not-found = No appeal has this tracking code.
staff-unauthorized = Sign-in required: send an API token in an "Authorization: Bearer …" header.
staff-forbidden-role = The role "{ $role }" may not { $what }.
staff-forbidden-scope = This appeal is outside your scope ({ $scope }).
staff-appeal-not-found = Appeal { $receipt } was not found.
workflow-forbidden = { $actor } may not { $action } this appeal.
workflow-no-task = The appeal has no task for { $agency }.
workflow-invalid-transition = Cannot { $action } from the state "{ $state }".
workflow-missing-text = A { $what } is required.
workflow-bad-extension = The new due date { $due } must be after { $current } and no later than { $limit } (two months after registration).
workflow-bad-redirect = Cannot redirect to { $agency }: it is the same agency or already has an open task.
workflow-reopen-over = The period to disagree with the answer ended on { $date }.
feedback-not-answered = You can rate the service once the appeal is answered.
feedback-bad-rating = The rating is a whole number from 1 to 5.
feedback-too-long = The comment is too long: at most { $max } characters.
notify-subject = Appeal { $receipt }: { $kind ->
    [registered] registered
    [redirected] sent to another agency
    [extended] due date extended
    [answered] answered
    [reopened] reopened
    [escalated] overdue
   *[closed] closed
    }
notify-body = Appeal { $receipt }. State: { $state }. The answer is due by { $due }.
notify-comment = Comment: { $comment }
notify-footer = This message was sent automatically; please do not reply. Follow your appeal with its tracking code.
workflow-not-overdue = The task is not overdue, or was escalated already.
admin-invalid-file = The file has { $chars } problem(s); nothing was changed.
photo-not-image = Photo { $value } is not a JPEG, PNG or WebP image.
photo-too-large = Photo { $value } is too large.
photo-too-many = At most { $max } photos.

## Import problems (admin API): the place in the file, then one message per kind of problem (src/problems.rs).
import-at-file = file
import-at-feature = feature { $index }
import-at-feature-code = feature { $index } ({ $code })
import-at-line = line { $line }
import-at-line-column = line { $line }, column { $column }
import-json = { $line ->
    [0] The file is not valid JSON.
   *[other] The file is not valid JSON: the error is at line { $line }, character { $column }.
    }
import-not-feature-collection = The file must be a GeoJSON FeatureCollection with a "features" array.
import-not-feature = The feature must be a GeoJSON Feature with a "properties" object.
import-csv-field-count = The record has { $found } { $found ->
    [one] field
   *[other] fields
    }, but the header has { $expected } { $expected ->
    [one] column
   *[other] columns
    }.
import-csv-unreadable = The CSV file cannot be read: { $detail }
import-missing = The field "{ $field }" is required.
import-missing-column = The column "{ $column }" is required.
import-not-text = The field "{ $field }" must be a string.
import-not-boolean = The field "{ $field }" must be true or false.
import-not-count = The field "{ $field }" must be a whole number of at least 0.
import-not-list = The field "{ $field }" must be a list of strings.
import-number-out-of-range = The field "{ $field }" must be a number from { $min } to { $max }.
import-working-days-out-of-range = The field "{ $field }" must be a whole number of working days from { $min } to { $max }.
import-not-email = The field "{ $field }" is not an e-mail address.
import-unknown-time-zone = The field "{ $field }": "{ $value }" is not an IANA time zone such as Asia/Almaty.
import-unknown-name = The field "{ $field }" cannot be "{ $value }"; accepted values: { $expected }.
import-unknown-lang = The field "{ $field }" has an unknown language "{ $value }": use kk, ru or en.
import-code-empty = The code in the field "{ $field }" is empty.
import-code-too-long = The code "{ $value }" in the field "{ $field }" is longer than 64 characters.
import-code-bad-char = The code "{ $value }" in the field "{ $field }" contains "{ $char }"; only A–Z, a–z, 0–9, "-", "_" and "." are allowed.
import-hours-empty = The opening hours in the field "{ $field }" are empty.
import-hours-no-times = The field "{ $field }": the rule "{ $rule }" has no time range (e.g. "Mo-Fr 09:00-18:00").
import-hours-bad-day = The field "{ $field }": "{ $value }" is not a day; use Mo, Tu, We, Th, Fr, Sa, Su.
import-hours-bad-range = The field "{ $field }": "{ $value }" is not a time range; use HH:MM-HH:MM (e.g. 09:00-18:00).
import-hours-backwards = The field "{ $field }": the time range "{ $value }" ends before it starts.
import-hours-overlap = The field "{ $field }": on { $day ->
    [Mo] Monday
    [Tu] Tuesday
    [We] Wednesday
    [Th] Thursday
    [Fr] Friday
    [Sa] Saturday
   *[Su] Sunday
    } the time ranges { $first } and { $second } overlap.
import-phone = The field "{ $field }": "{ $value }" is not a phone number; use +, digits, spaces, dashes and parentheses, 3 to 15 digits.
import-empty-text = The field "{ $field }": the { $lang ->
    [kk] Kazakh
    [ru] Russian
   *[en] English
    } text is empty.
import-territory-missing-parent = A { $level ->
    [district] district needs its city
   *[quadrant] quadrant needs its district
    } as parent (the field "parent").
import-territory-city-with-parent = A city has no parent: leave the field "parent" empty.
import-territory-pilot-not-quadrant = Only a quadrant can be marked pilot ("pilot"), not a { $level ->
    [city] city
   *[district] district
    }.
import-territory-empty-geometry = The geometry is empty.
import-geometry-missing = The feature has no geometry.
import-geometry-not-object = The geometry is not a GeoJSON object with a "type".
import-geometry-wrong-type = The geometry is a { $found }; expected { $expected ->
    [point] a Point
   *[polygonal] a Polygon or MultiPolygon
    }.
import-geometry-bad-nesting = The coordinates are not nested as a { $type } requires.
import-geometry-bad-position = { $at ->
    [point] The point's position
   *[ring] Position { $index } of ring { $ring } of polygon { $polygon }
    } is not [longitude, latitude] in numbers.
import-geometry-out-of-range = { $at ->
    [point] The point's position
   *[ring] Position { $index } of ring { $ring } of polygon { $polygon }
    } is out of range: longitude { $lon } must be in [-180, 180] and latitude { $lat } in [-90, 90] (are they swapped?).
import-geometry-ring-not-closed = Ring { $ring } of polygon { $polygon } is not closed: its last position must repeat its first.
import-geometry-ring-too-short = Ring { $ring } of polygon { $polygon } has { $points } { $points ->
    [one] position
   *[other] positions
    }; a closed ring needs at least 4.
import-polygon-too-few-distinct = Ring { $ring } of polygon { $polygon } has fewer than 3 distinct positions.
import-polygon-self-intersection = Ring { $ring } of polygon { $polygon } crosses itself.
import-polygon-hole-outside = Ring { $ring } of polygon { $polygon } (a hole) is not inside the exterior ring.
import-polygon-rings-touch = Rings { $first } and { $second } of polygon { $polygon } touch along a line.
import-polygon-rings-overlap = Rings { $first } and { $second } of polygon { $polygon } overlap.
import-polygon-parts-overlap = Polygons { $first } and { $second } overlap.
import-polygon-parts-touch = Polygons { $first } and { $second } touch along a line.
import-duplicate = The code { $code } appears twice (first at { $first }).
import-no-city = No city: the file must contain one feature with level "city" (none is stored yet).
import-second-city = A second city: a file describes one city.
import-other-city = The file describes the city { $file }, but this database holds the city { $stored }.
import-unknown-parent = The parent { $parent } is not a known { $level ->
    [city] city
   *[district] district
    } (neither in this file nor stored).
import-outside-parent = The territory lies { $outside } m² outside its parent { $parent } (tolerance { $limit } m²).{ $swapped ->
    [true] {" "}With longitude and latitude swapped it would fall on its parent: GeoJSON positions are [longitude, latitude].
   *[other] {""}
    }
import-overlap = The territory overlaps { $other } by { $overlap } m² (tolerance { $limit } m²).
import-gap = { $gap } m² of the territory are covered by no { $level ->
    [district] district
   *[quadrant] quadrant
    } (a gap).
import-unknown-quadrant = Unknown quadrant: { $code }.
import-unknown-point = Unknown police point: { $code }.
import-routing-unknown-agency = Category { $category }: unknown agency { $agency } ({ $role ->
    [primary] primary
    [joint] joint
   *[referral] referral
    }).
import-routing-emergency-without-line = Category { $category } is an emergency, so its primary agency must be an emergency line (102, 112, 103).
import-routing-primary-also-joint = Category { $category }: the primary agency is also listed as joint.
import-routing-bad-override = The routing override in { $district } for { $category } of { $replaces }: unknown { $what ->
    [category] category
    [district] district
   *[agency] agency
    } { $code }.
import-routing-duplicate-override = The routing override in { $district } for { $category } of { $replaces } is given twice.
open311-api-key-required = api_key is required: keys are issued by the city's Sakshy administrator.
open311-api-key-invalid = This api_key is not valid or was revoked.
open311-unavailable = The service cannot answer now; please try again later.
open311-bad-datetime = { $field }: "{ $value }" is not a W3C date-time such as 2026-01-01T00:00:00Z.
open311-dates-together = Give both start_date and end_date, or neither.
open311-end-before-start = end_date is before start_date.
open311-span-too-long = start_date and end_date may be at most { $max } days apart.
open311-bad-media-url = media_url "{ $value }" is not an absolute http or https address of at most { $max } characters.
open311-too-many-media-urls = At most { $max } media_url values.
open311-too-large = The request is too large: at most { $max } MB.
open311-bad-body = The request body cannot be read: { $detail }
open311-unexpected-file = Unexpected file part "{ $field }": send photos as "media".
open311-update-register = The appeal is registered with { $agency }.
open311-update-accept = { $agency } accepted the appeal.
open311-update-start = { $agency } started work on the appeal.
open311-update-extend = { $agency } extended the due date.
open311-update-answer = { $agency } answered.
open311-update-redirect = { $agency } passed the appeal to another agency.
open311-update-reject = { $agency } rejected the appeal.
open311-update-reopen = The applicant disagreed with the answer; the appeal is reopened.
open311-update-close = The appeal is closed.

## Resident portal
pages-product = Sakshy
pages-skip = Skip to main content
pages-language = Language
pages-footer = In an emergency call 102 (police), 112 (emergency rescue service) or 103 (ambulance).
portal-nav = Sections for residents
portal-nav-find = My district inspector
portal-nav-appeal = File an appeal
portal-nav-track = Track an appeal
portal-unavailable = The service is not ready yet
portal-back-home = Back to the start page
portal-not-found = Page not found
portal-find-title = My district inspector
portal-find-by-address = Search by address
portal-address = Street or microdistrict
portal-search = Search
portal-find-by-map = Pick on the map
portal-map-hint = Click the place where you live on the map, or choose a quadrant.
portal-find-by-coordinates = Search by coordinates
portal-find-by-location = By my location
portal-use-location = Use my location
portal-location-failed = Your location could not be found. Type an address or pick a place on the map.
portal-results = Search results
portal-no-results = Nothing found for "{ $value }". Try writing the street or microdistrict name differently.
portal-kind-street = street
portal-kind-microdistrict = microdistrict
portal-bad-coordinates = Enter latitude and longitude as numbers (for example 42.29871 and 69.61030).
portal-quadrant-title = Quadrant { $quadrant }
portal-district = District
portal-pilot = Pilot quadrant
portal-inspectors = District police inspector
portal-no-inspector = No district inspector is assigned to this quadrant yet.
portal-rank = Rank
portal-phone = Post phone
portal-reception = Reception hours
portal-points = Police points
portal-no-points = There is no police point in this quadrant.
portal-hours = Opening hours
portal-open-now = Open now
portal-closed-now = Closed now
portal-resolved = Resolved appeals
portal-resolved-30 = Last 30 days: { $count }
portal-resolved-90 = Last 90 days: { $count }
portal-quadrant-map = Map of the quadrant
portal-file-here = File an appeal about this quadrant
portal-quadrant-not-found = There is no quadrant with the code "{ $code }".
portal-map-title = Quadrants of { $city }
portal-map-legend = Legend
portal-map-quadrant = Quadrant boundary
portal-map-pilot = Pilot quadrant
portal-map-point = Police point
portal-map-appeal = Appeal
portal-map-scale = { $distance } m
portal-appeal-title = File an appeal
portal-emergency-title = An emergency? Call at once
portal-emergency-text = If life, health or property is in danger, do not file an appeal — call at once. Appeals in these categories are not accepted:
portal-call = Call: { $numbers }
portal-category = Category
portal-category-choose = — choose a category —
portal-description = Description of the problem
portal-location = Location
portal-location-how = Give the place one way: an address, a point on the map or a police point.
portal-address-field = Address
portal-point = Police point
portal-point-none = — none —
portal-photo = Photo (optional, JPEG or PNG)
portal-public-title = What is public and what is sent to whom
portal-public-what = Public: the category, the approximate place (to about 100 m) and the progress — anyone can see them in the open data.
portal-public-who = The description and photos are sent to the district police inspector and to the public body responsible for the category; they are not published.
portal-public-contact = Your name, phone and e-mail are not published: only the staff handling the appeal see them, and every view is logged.
portal-public-photo = Location and device data are removed from photos.
portal-contact = Contact details (optional)
portal-name = Name
portal-phone-field = Phone
portal-email = E-mail
portal-consent = I consent to the processing of my personal data to handle this appeal (Law of the Republic of Kazakhstan "On personal data and their protection").
portal-continue = Continue
portal-submit = Send the appeal
portal-edit = Change
portal-confirm-title = Check and send
portal-duplicates = Similar appeals nearby
portal-duplicates-text = Perhaps this problem has already been reported. Note the number of the existing appeal, or send yours anyway.
portal-duplicate-item = { $receipt } — { $date }, { $distance } m
portal-no-duplicates = There are no similar open appeals nearby.
portal-form-errors = The form has errors: they are shown next to the fields.
portal-csrf = The form has expired or was sent from another site. Reload the page and try again.
portal-choose-location = Give an address, a point on the map or a police point.
portal-bad-phone = Enter the phone number as +7 700 000 00 00.
portal-bad-email = This is not an e-mail address.
portal-photo-error = The photo could not be read: upload a JPEG or PNG file (at most 8 MB).
portal-receipt-title = Your appeal is received
portal-receipt-number = Receipt number
portal-due = Answer due by
portal-sent-to = Sent to
portal-tracking-link = Tracking link
portal-tracking-keep = Keep this link: it is the only way to follow your appeal. We cannot show it again.
portal-track-title = Track an appeal
portal-track-code = Tracking code
portal-track-help = Enter the tracking code or link you received after filing.
portal-track-open = Open
portal-track-not-found = No appeal has this tracking code.
portal-state = State
portal-registered-on = Registered on
portal-history = Progress
portal-state-registered = Registered
portal-state-in_progress = Being handled
portal-state-extended = Deadline extended
portal-state-answered = Answered
portal-state-reopened = Reopened
portal-state-rejected = Rejected
portal-state-closed = Closed
portal-rate-title = Rate the answer
portal-rating = Rating (1 to 5)
portal-comment = Comment (optional)
portal-rate = Rate
portal-rated = Thank you for your rating.
portal-reopen-title = I disagree with the answer
portal-reason = Reason
portal-reopen = Reopen the appeal
portal-close-title = The answer satisfies me
portal-close = Close the appeal
portal-done = Saved.
portal-rank-sergeant = sergeant
portal-rank-senior_sergeant = senior sergeant
portal-rank-sergeant_major = sergeant major
portal-rank-lieutenant = lieutenant
portal-rank-senior_lieutenant = senior lieutenant
portal-rank-captain = captain
portal-rank-major = major
portal-rank-lieutenant_colonel = lieutenant colonel
portal-rank-colonel = colonel
portal-day-mo = Mon
portal-day-tu = Tue
portal-day-we = Wed
portal-day-th = Thu
portal-day-fr = Fri
portal-day-sa = Sat
portal-day-su = Sun
portal-hours-closed = closed
portal-hours-none = not given
portal-address-of-point = Address
portal-nearest-points = Nearest police points
portal-walk = { $distance } m, about { $count } min on foot
portal-category-required = Choose a category.
portal-confirm-category = Category
portal-confirm-location = Location
portal-confirm-contact = Contact
portal-anonymous = not given (anonymous appeal)
portal-photo-hint = You can add photos at this step: at most 3, each up to 8 MB.
portal-map-pick = Click the map to pick a point (needs JavaScript). Without JavaScript, give an address or a police point.
portal-or = or
portal-registered = Registered on

## API docs
apidocs-title = API documentation
apidocs-intro = Every endpoint of this server, read from its OpenAPI description. Everything on this page is served by Sakshy itself; nothing is loaded from the internet.
apidocs-openapi = The OpenAPI 3.1 description (JSON)
apidocs-open311 = Open311 GeoReport v2: service discovery
apidocs-contents = Endpoints
apidocs-auth = Needs a staff API token: Authorization: Bearer …
apidocs-parameters = Parameters
apidocs-responses = Answers
apidocs-name = Name
apidocs-in = Where
apidocs-required = Required
apidocs-description = Description
apidocs-status = Status
apidocs-yes = yes
apidocs-no = no

## Accounts and login
auth-login-title = Staff sign-in
auth-login = Login
auth-password = Password
auth-sign-in = Sign in
auth-sign-out = Sign out
auth-wrong = Wrong login or password.
auth-locked = Too many wrong passwords. Signing in to this account is blocked for { $min } minutes; try again later.
auth-throttled = Too many failed sign-ins from this address. Try again in { $min } minutes.
auth-forbidden = Access denied
auth-csrf-refused = The form has expired or did not come from this site. Open the page again and repeat.
auth-signed-in-as = Signed in: { $what }
console-nav = Staff console
console-queue-title = Appeals queue
console-filter-state = State
console-filter-category = Category
console-filter-quadrant = Quadrant
console-filter-overdue = Overdue only
console-filter-text = Receipt or text
console-filter-apply = Filter
console-any = Any
console-count-shown = Shown: { $numbers }
console-count-overdue = Overdue: { $numbers }
console-col-receipt = Receipt
console-col-due = Due
console-overdue = overdue
console-due-soon = due soon
console-next-page = Next page
console-empty = No appeals match.
console-forbidden-role = Your role may not { $what }.
console-forbidden-scope = This appeal is outside your area ({ $scope }).
console-appeal-title = Appeal { $receipt }
console-description = Description
console-address = Address
console-contact = Applicant's contact details
console-contact-name = Name
console-contact-phone = Phone
console-contact-email = E-mail
console-contact-none = The applicant left no contact details.
console-contact-masked = Masked: your role does not handle this appeal.
console-contact-audited = This view is recorded in the audit log.
console-tasks = Tasks
console-agency = Agency
console-assignee = Assigned officer
console-public-history = Public history
console-internal-notes = Full history with staff actions (staff only)
console-actions = Actions
console-no-actions = Your role has no actions on this appeal in its current state.
console-action-accept = Accept
console-action-start = Start work
console-action-answer = Answer the resident
console-action-extend = Extend the deadline
console-action-redirect = Redirect to another agency
console-action-reject = Reject
console-action-assign = Assign an officer
console-action-close = Close
console-answer-text = Answer
console-reason = Reason
console-new-due = New due date
console-to-agency = Agency
console-officer = Officer
console-counts = By state
console-task-accepted = Accepted
console-task-redirected = Redirected
console-event-register = registered
console-event-reopen = reopened by the resident
console-event-escalate = escalated as overdue
console-notes = Internal notes (staff only)
console-notes-none = No notes yet.
console-note-text = Note
console-note-add = Add the note
console-done = Saved.

## Audit log
admin-bad-time = "{ $field }" must be a time in RFC 3339 form, e.g. 2026-12-01T09:00:00Z.
admin-bad-cursor = "after" must be the next_page value of the previous page.
audit-title = Audit log
audit-intro = Who saw residents' personal data and who changed what, when and from where, newest first. Reading this log is recorded in it too.
audit-from = From (date)
audit-to = Until (date, inclusive)
audit-actor = Who
audit-action = What
audit-object = On what
audit-at = When
audit-address = From address
audit-export = Export as CSV (with these filters)
audit-empty = No events match.
audit-bad-date = "{ $field }" must be a date, e.g. 2026-12-01.

## Reception and overview
console-nav-reception = Reception log
reception-title = Police point reception log
reception-new-visit = Record a visitor
reception-point = Police point
reception-category = Visitor's problem (category)
reception-description = What the visitor says
reception-place = Where the problem is
reception-place-point = Where the police point is (its quadrant)
reception-place-address = At an address
reception-address = Address (street or microdistrict, house)
reception-contact = Visitor's contact details (optional)
reception-consent = The visitor consents to the processing of their personal data to handle this appeal (asked and ticked by the officer).
reception-file = File as an appeal on their behalf
reception-today = Today's visitors
reception-none-today = No visitors recorded today.
reception-time = Time
reception-no-points = Your area has no police point: there is no reception log to keep.
reception-point-required = Choose one of your police points.
reception-address-required = Enter the address, or choose the police point's place.
reception-consent-required = Contact details are stored only with the visitor's consent: ask them and tick the box, or leave the contact fields empty.
reception-filed-title = The visitor's appeal is filed
reception-filed-hand = Print this page or write down the receipt number and the tracking link for the visitor: the link cannot be shown again.
reception-back = Back to the reception log
overview-title = Quadrant { $code }
overview-not-found = There is no such quadrant.
overview-open = Open
overview-overdue = Overdue
overview-answered = Answered
overview-queue = Open this quadrant's queue
overview-categories = Appeals in the last 30 days by category
overview-count = Appeals
overview-no-appeals = No appeals in the last 30 days.
overview-inspectors = District inspectors
overview-points = Police points
overview-none = None.

## Administration pages
admin-title = Administration
admin-registry = Registry
admin-users = Staff accounts
admin-holidays = Working calendar
admin-load = Load a file
admin-load-intro = Choose what the file holds and the file. You will see what it changes before anything is saved.
admin-kind = What the file holds
admin-file = File
admin-preview = Check and preview
admin-kind-territories = Territories (GeoJSON)
admin-kind-points-csv = Police points (CSV)
admin-kind-points-geojson = Police points (GeoJSON)
admin-kind-officers = Officers (CSV)
admin-kind-agencies = Agencies (CSV)
admin-kind-categories = Appeal categories (CSV)
admin-kind-routing = Routing by district (CSV)
admin-categories = Appeal categories
admin-agencies = Agencies
admin-points = Police points
admin-officers = Officers
admin-changes = Recent changes
admin-none = None yet.
admin-col-code = Code
admin-col-name = Name
admin-col-agency = Responsible agency
admin-col-deadline = Term
admin-col-quadrants = Quadrants
admin-col-what = What
admin-col-change = Change
admin-col-where = Where
admin-col-problem = Problem
admin-col-login = Login
admin-col-role = Role
admin-col-scope = Scope
admin-col-status = Status
admin-col-actions = Actions
admin-col-date = Date
admin-col-kind = Kind
admin-working-days = { $count ->
    [one] { $count } working day
   *[other] { $count } working days
}
admin-bad-form = The form could not be read. Please try again.
admin-no-file = Choose a file to load.
admin-preview-title = What the file changes
admin-problems = Problems in the file
admin-problems-count = { $count ->
    [one] The file has one problem; nothing has been changed.
   *[other] The file has { $count } problems; nothing has been changed.
}
admin-what-changes = What will change
admin-nothing-changes = The file matches what is stored: nothing will change.
admin-city-changes = The city's own settings (name, time zone or centre) will change.
admin-added = Added
admin-changed = Changed
admin-removed = Removed
admin-unchanged = Unchanged
admin-warnings = Warnings
admin-apply = Apply the changes
admin-cancel = Cancel
admin-back = Back to the registry
admin-imported = Done: { $added } added, { $changed } changed, { $unchanged } unchanged.
admin-disabled = Disabled
admin-active = Active
admin-enable = Enable
admin-disable = Disable
admin-reset = New password
admin-change-role = Change role and scope
admin-add-user = Add an account
admin-choose = Choose…
admin-scope-help = Scope: city, district:CODE, quadrants:CODE;CODE or agency:CODE.
admin-bad-login = A login has 3 to 64 lower-case Latin letters, digits, dots, hyphens or underscores.
admin-name-required = Enter the name colleagues will see.
admin-role-required = Choose a role.
admin-bad-scope = "{ $what }" is not a scope: write city, district:CODE, quadrants:CODE;CODE or agency:CODE.
admin-login-taken = The login { $what } is taken.
admin-not-yourself = You cannot disable your own account or change your own role.
admin-no-user = There is no account { $what }.
admin-password-title = New password
admin-password-for = The password for { $what }:
admin-password-once = Hand it over in person. It is shown only now and is not stored in readable form; the account's open sessions have ended.
admin-back-users = Back to the accounts
admin-holidays-intro = Public holidays, transferred days off and working weekend days, used to count legal terms in working days. Load a year's file when the government publishes or changes the calendar.
admin-years = Years
admin-holidays-preview = The file for { $what }
admin-holidays-load = Load a year
admin-holidays-format = CSV with the columns date,kind,name_kk,name_ru,name_en; kind is holiday, day_off or working_day.
admin-year = Year
admin-bad-year = Enter a year between 2000 and 2099.
admin-day-holiday = Holiday
admin-day-off = Day off (transferred)
admin-day-working = Working day
role-administrator = Administrator
role-supervisor = Supervisor
role-district_inspector = District inspector
role-duty_officer = Duty officer of a police point
role-agency_officer = Officer of a partner agency
role-analyst = Analyst
role-read_only = Read only
calendar-err-csv = Line { $line }: the line is not well-formed CSV.
calendar-err-column = Line { $line }: the header has no column { $column } (expected date,kind,name_kk,name_ru,name_en).
calendar-err-date = Line { $line }, column date: "{ $value }" is not a date (write YYYY-MM-DD).
calendar-err-year = Line { $line }, column date: { $date } is not in { $year }.
calendar-err-kind = Line { $line }, column kind: "{ $value }" is not a kind; use holiday, day_off or working_day.
calendar-err-working-weekday = Line { $line }, column kind: { $date } is a weekday; working_day is only for a Saturday or Sunday.
calendar-err-off-weekend = Line { $line }, column kind: { $date } is a weekend day; day_off is only for a Monday to Friday.
calendar-err-duplicate = Line { $line }, column date: { $date } is already listed on line { $first }.
calendar-err-name = Line { $line }, column { $column }: the name is empty.
calendar-err-gap = The calendar would have a gap: the year { $year } is missing.
calendar-err-other = The calendar cannot be used: { $detail }.
console-map-title = Where appeal { $receipt } is
console-photos = Photos
console-photo = Photo { $number }

## Analytics
analytics-bad-area = "{ $value }" is not an area: use city, district:CODE or quadrant:CODE of this city.
analytics-bad-group = "{ $value }" is not an offence group.
analytics-bad-date = "{ $value }" is not a date: write YYYY-MM-DD.
analytics-bad-window = The window { $value } is empty or longer than ten years.
analytics-bad-number = "{ $value }" is not a number in the allowed range.
analytics-too-few = There are { $value } events in this selection: at least two are needed.
analytics-title = Analytics
analytics-nav = Analytics
analytics-whole-city = The whole city
analytics-area = Area
analytics-group = Offence group
analytics-all-groups = All groups
analytics-n-events = { $count ->
    [one] One incident in this selection.
   *[other] { $count } incidents in this selection.
}
analytics-synthetic-label = Synthetic data.
analytics-synthetic = { $count ->
    [one] One incident here is synthetic demo data, not a real offence.
   *[other] { $count } incidents here are synthetic demo data, not real offences.
}
analytics-an-offence = an offence
analytics-finding-near = Within { $distance } m and { $days } days of { $what }, another is { $percent } % more likely than chance.
analytics-finding-repeat = At the same place within { $days } days of { $what }, another is { $percent } % more likely than chance.
analytics-finding-none = No repeat or near-repeat pattern stands out (p ≤ 0.05 and at least 20 % above chance).
analytics-too-few-page = Too few incidents for a near-repeat table.
analytics-knox-title = Near repeats
analytics-knox-desc = Knox ratios: observed pairs of incidents at each distance and time apart, over the mean of 99 random reshufflings of the dates. Above 1 means more pairs than chance; framed cells are significant at p ≤ 0.05.
analytics-knox-help = Pairs of incidents are counted by how far apart they are (Manhattan distance) and how many days apart, as in Ratcliffe's Near Repeat Calculator; the dates are shuffled 99 times to see what chance gives.
analytics-knox-legend = Knox ratio
analytics-significant = significant (p ≤ 0.05)
analytics-no-pairs = no pairs expected
analytics-distance = Distance
analytics-time = Time apart
analytics-same-place = Same place
analytics-beyond-m = more than { $distance } m
analytics-days-band = { $from }–{ $to } days
analytics-beyond-days = more than { $days } days
analytics-hotspots-title = Hot and cold spots
analytics-hotspots-desc = Getis–Ord Gi* classes of each grid cell inside the area, from the z-scores with the false discovery rate controlled (as ArcGIS draws them); quadrant boundaries outlined.
analytics-hotspots-help = A hot spot is a cell where the cell and its neighbours together hold more incidents than chance would put there; grey cells are not significant.
analytics-gi-legend = Gi* with FDR control
analytics-hot-99 = Hot spot, 99 % confidence
analytics-hot-95 = Hot spot, 95 % confidence
analytics-hot-90 = Hot spot, 90 % confidence
analytics-not-significant = Not significant
analytics-cold-90 = Cold spot, 90 % confidence
analytics-cold-95 = Cold spot, 95 % confidence
analytics-cold-99 = Cold spot, 99 % confidence
analytics-density-title = Density of incidents (kernel { $bandwidth } m)
analytics-density-desc = Gaussian kernel density of the incidents, per square kilometre, at the centre of each cell inside the area.
analytics-density-legend = Incidents per km²
analytics-unit-m = m
analytics-unit-km = km
analytics-when = When
analytics-week-title = Day of the week and hour
analytics-week-desc = Incidents by day of the week and hour of the day, in the city's time; those known only to the day are in their own column.
analytics-hour = Hour
analytics-hour-unknown = Hour unknown
analytics-events = Incidents
analytics-trend-title = Month by month
analytics-trend-desc = Incidents per month of the window, beside the same month a year before.
analytics-this-year = This period
analytics-year-before = A year before
analytics-bad-source = "{ $value }" is not a source: use incidents or appeals.
analytics-bad-category = "{ $value }" is not an appeal category of this city.
analytics-source = Events
analytics-source-incidents = Offences (incidents)
analytics-source-appeals = Residents’ appeals
analytics-category = Appeal category (appeals)
analytics-all-categories = All categories

# Surveys (`survey_form.rs`, `survey_pages.rs`, `survey_text.rs`)
survey-nav = Surveys
survey-title = Survey
survey-staff-title = Surveys
survey-not-found = There is no such survey.
survey-not-open = This survey is not open for answers.
survey-needs-invitation = This survey is by invitation: open the link you were given.
survey-invitation-used = This invitation has already been used to answer. Thank you!
survey-invitation-unknown = This invitation link is not valid for this survey.
survey-step = Page { $page } of { $pages }
survey-privacy = The survey is anonymous: do not write your name, phone number or address. Names and numbers in open answers are removed before anyone reads them.
survey-synthetic-wave = This is a demonstration survey with made-up answers.
survey-honeypot = Leave this field empty
survey-choose = — choose —
survey-find-quadrant = Don't know your quadrant? Find it by address
survey-location-help = Latitude and longitude in degrees, e.g. 42.30 69.61
survey-back = Back
survey-next = Next
survey-submit = Send answers
survey-fix-answers = Please correct the answers marked below.
survey-thanks = Thank you: your answers have been recorded.
survey-next-respondent = Next respondent
survey-too-many = Too many answers have been sent from this network in the last hour. Please try again later.
survey-kind-note = note
survey-kind-single = single choice
survey-kind-multiple = multiple choice
survey-kind-likert = scale
survey-kind-yes-no = yes / no
survey-kind-integer = whole number
survey-kind-decimal = number
survey-kind-text = text
survey-kind-quadrant = quadrant
survey-kind-location = location
survey-problem-required = An answer is required.
survey-problem-unknown-item = The questionnaire has no such question.
survey-problem-note = A note takes no answer.
survey-problem-not-a-choice = "{ $value }" is not one of the choices.
survey-problem-chosen-twice = "{ $value }" is chosen twice.
survey-problem-not-integer = "{ $value }" is not a whole number.
survey-problem-not-number = "{ $value }" is not a number.
survey-problem-range = { $value } is outside the allowed range { $min } – { $max }.
survey-problem-too-long = The answer is longer than { $chars } characters.
survey-problem-location = "{ $value }" is not a location: write latitude and longitude, e.g. 42.30 69.61.
survey-place-sheet = sheet { $file }
survey-place-row = row { $line }
survey-place-column = column { $column }
survey-place-item = question { $code }
survey-place-line-column = line { $line }, column { $column }
survey-problem-expr = the condition cannot be read at character { $at }: { $detail }
survey-problem-expr-function = unknown function "{ $value }" (use not, selected, count-selected, string-length)
survey-problem-expr-string = a quoted text is not closed
survey-problem-expr-empty = the condition is empty
survey-problem-unreadable = The file cannot be read ({ $detail }).
survey-problem-missing-sheet = The workbook has no sheet "{ $file }".
survey-problem-missing-column = The header has no column "{ $column }".
survey-problem-duplicate-column = Column "{ $column }" appears twice.
survey-problem-unknown-language = Column "{ $column }" names no known language: write e.g. label::Kazakh (kk), label::Russian (ru), label::English (en).
survey-problem-missing = A value is required here.
survey-problem-missing-language = The text in "{ $lang }" is missing.
survey-problem-unsupported-type = Question type "{ $type }" is not supported: use select_one, select_multiple, integer, decimal, text, note, geopoint or groups.
survey-problem-unbalanced-group = begin_group and end_group do not match.
survey-problem-not-boolean = "{ $value }" is not yes or no.
survey-problem-unsupported-constraint = Constraint "{ $value }" is not supported: use ". >= N and . <= M" or "string-length(.) <= N".
survey-problem-bad-name = "{ $value }" is not a valid name: use Latin letters, digits, _ and -, starting with a letter.
survey-problem-duplicate-item = The question name "{ $code }" is used twice.
survey-problem-unknown-list = The choice list "{ $code }" does not exist.
survey-problem-empty-list = The choice list "{ $code }" is empty.
survey-problem-short-scale = A scale needs at least two choices; list "{ $code }" has { $found }.
survey-problem-duplicate-choice = Choice "{ $value }" appears twice in list "{ $code }".
survey-problem-not-earlier = The condition refers to "{ $code }", which is not an earlier question.
survey-problem-bad-bounds = The limits are not valid: the minimum must not exceed the maximum.
survey-problem-duplicate-role = Role "{ $role }" is given to both "{ $first }" and "{ $second }".
survey-problem-role-kind = Role "{ $role }" cannot be given to a question of type { $kind }.
survey-problem-unknown-role = "{ $value }" is not a role: use quadrant, location, age_band or sex.
survey-problem-duplicate-index = Index "{ $code }" is defined twice.
survey-problem-empty-index = Index "{ $code }" has no questions.
survey-problem-index-item = Index "{ $index }" names "{ $code }", which is not a question.
survey-problem-index-scale = Index "{ $index }" uses "{ $code }", which is neither a scale nor a yes/no question.
survey-problem-index-twice = Index "{ $index }" uses "{ $code }" twice.
survey-problem-min-answered = Index "{ $index }": min_answered must be between 1 and { $max }, not { $value }.
survey-problem-index-inconsistent = This row disagrees with an earlier row of index "{ $index }".
survey-problem-field-count = The row has { $found } values, but the header has { $expected }.
survey-problem-duplicate-submission = Submission "{ $value }" also appears on line { $line }.
survey-problem-duplicate-submission-stored = Submission "{ $value }" is already stored.
survey-problem-not-flag = "{ $value }" is not 0 or 1.
survey-problem-no-rows = The file has no header and data rows.
survey-problem-not-positive = "{ $value }" is not a positive number.
survey-problem-duplicate-margin = This district, age band and sex already appear on line { $line }.
survey-problem-no-item-columns = No column of the file is a question of this questionnaire.
survey-problem-same-item = Columns "{ $first }" and "{ $second }" both hold question "{ $code }".
survey-problem-undecodable = Line { $line }: the CSV cannot be read ({ $detail }).
survey-problem-definition = The questionnaire "{ $code }" is not valid JSON.
survey-version-exists = Questionnaire { $code } version { $version } is already saved with other content: give it a new version.
survey-duplicate-wave = A wave with the code { $code } already exists.
survey-unknown-wave = There is no wave { $code }.
survey-no-instrument = Choose a questionnaire.
survey-bad-dates = Give an opening and a closing date; the wave cannot close before it opens.
survey-bad-code = Codes are 1–40 Latin letters, digits, "-" or "_".
survey-status-refused = The wave cannot be moved to that state.
survey-not-invitation = This wave is open to anyone: it has no invitations.
survey-wave-draft = The wave is still a draft: open it first.
survey-invitations-range = Ask for between 1 and { $max } invitations.
survey-waves = Survey waves
survey-no-waves = No waves yet.
survey-col-wave = Wave
survey-col-instrument = Questionnaire
survey-col-dates = Dates
survey-col-status = Status
survey-col-responses = Responses
survey-col-actions = Actions
survey-col-title = Title
survey-col-items = Questions
survey-col-indices = Indices
survey-col-cells = Cells
survey-col-population = Population
survey-col-page = Page
survey-col-name = Name
survey-col-kind = Type
survey-col-question = Question
survey-col-relevant = Shown when
survey-col-area = Area
survey-col-level = Level
survey-col-n = Answers
survey-col-estimate = Estimate (95% interval)
survey-col-change = Change since the previous wave
survey-status-draft = draft
survey-status-open = open
survey-status-closed = closed
survey-access = Who can answer
survey-access-open = anyone with the link (limited per network, with a robot trap)
survey-access-invitation = by invitation only (one answer per link)
survey-invitations-used = { $used } of { $issued } invitations used
survey-open = Open
survey-close = Close
survey-invitations-count = Invitations
survey-issue = Issue (CSV)
survey-import-file = Answers exported from KoboToolbox/ODK (CSV)
survey-new-wave = New wave
survey-need-instrument = Load a questionnaire first.
survey-wave-code = Code (in the address)
survey-wave-title = Title
survey-opens = Opens on
survey-closes = Closes on
survey-create-wave = Create the wave (as a draft)
survey-instruments = Questionnaires
survey-load-default = Load the standard service-model questionnaire
survey-instrument-file = Questionnaire file (XLSForm .xlsx or Sakshy .json)
survey-instrument-help = XLSForm is the KoboToolbox/ODK format: sheets survey, choices and settings, with label::Kazakh (kk), label::Russian (ru) and label::English (en) columns. Add a sakshy_role column (quadrant, age_band, sex, location) and an indices sheet to define indices.
survey-instrument-preview = Questionnaire preview
survey-preview-counts = { $items } questions on { $pages } pages, { $indices } indices.
survey-margins = Population margins
survey-no-margins = No population margins: estimates are unweighted.
survey-margins-file = Margins file (CSV: district, age_band, sex, population)
survey-replace-margins = Replace the margins
survey-margins-help = One row per district, age band and sex, with the codes the questionnaire uses (e.g. SHY-ALF, 30-44, female). Answers are weighted to these numbers.
survey-import-heading = Importing answers into wave { $wave }
survey-import-summary = { $good ->
    [one] 1 row is ready to import
   *[other] { $good } rows are ready to import
}; { $bad ->
    [0] no row has problems.
    [one] 1 row has problems and will be left out.
   *[other] { $bad } rows have problems and will be left out.
}
survey-unknown-columns = Columns not in the questionnaire (ignored): { $columns }
survey-import-title = Answers imported
survey-imported = { $inserted ->
    [one] 1 answer imported
   *[other] { $inserted } answers imported
}, { $present ->
    [one] 1 was already stored
   *[other] { $present } were already stored
}, { $refused ->
    [one] 1 row refused.
   *[other] { $refused } rows refused.
}
survey-weighted = Weighted to the population by { $margins } (design effect of weighting { $deff }).
survey-rake-district-age-sex = district × age × sex
survey-rake-district-age-and-sex = district × age and district × sex
survey-rake-separately = district, age and sex separately
survey-rake-district = district only
survey-unweighted-no-margins = Unweighted: no population margins are loaded.
survey-unweighted-no-respondents = Unweighted: no answer comes from a district with population margins.
survey-unweighted-unmet = Unweighted: the margins could not be met (groups with population but no answers).
survey-facts = Questionnaire { $instrument }, { $status }, { $from } – { $to }: { $count ->
    [one] 1 answer.
   *[other] { $count } answers.
}
survey-reading-help = Indices run from 0 (worst) to 100 (best). The interval is where the true value lies with 95% confidence. Areas with fewer than 30 answers are not estimated.
survey-compared-with = Changes are compared with the wave "{ $wave }"; bold ones are clearer than chance.
survey-change-suppressed = too few answers
survey-suppressed-n = not shown: { $count } answers
survey-map-title = { $index } by quadrant
survey-map-desc = Each quadrant is coloured by its estimate and shows the estimate, its 95% interval and a bar of the interval; hatched quadrants have too few answers.
survey-index-legend = Index (0–100)
survey-suppressed-legend = fewer than 30 answers
survey-no-data = no answers
survey-interval-legend = 95% interval
survey-trend-title = { $index } over the waves
survey-trend-desc = The estimate of each wave with its 95% interval, for the city and the pilot quadrant.
survey-pilot = pilot
survey-level-city = city
survey-level-district = district
survey-level-quadrant = quadrant
survey-comments = Open answers
survey-comments-help = Phone numbers, e-mail addresses, ID numbers and names were removed when the answers were stored.
survey-no-comments = No open answers.
survey-download-csv = Download CSV
survey-download-json = Download JSON
survey-collect = Collect answers (enumerator)
survey-public-form = The public form
survey-synthetic-results = These answers are synthetic, made for the demonstration.

# The pilot evaluation (`evaluation_pages.rs`)
eval-title = Pilot evaluation
eval-intro = Compare the pilot quadrants with control quadrants before and after the start: offences, appeals, time to answer and survey indices, month by month.
eval-no-designs = No evaluation is defined yet.
eval-col-design = Evaluation
eval-col-start = Start
eval-col-pilot = Pilot
eval-col-control = Control
eval-none = Neither
eval-define = Define or change an evaluation
eval-code = Code
eval-buffer = Buffer around the pilot, metres
eval-save = Save
eval-bad-start = Give the start date.
eval-bad-buffer = The buffer must be 50–5000 metres.
eval-bad-units = Mark at least one pilot and one control quadrant of this city.
eval-design = Pilot { $pilot } against controls { $control }, from { $start }; buffer { $buffer } m.
eval-too-early = No whole month has passed since the start: there is nothing to compare yet.
eval-synthetic = The data include synthetic (demonstration) records: { $count } offences in the window.
eval-download-panel = Download the monthly panel (CSV)
eval-findings = Findings
eval-limits = Limits of this comparison
eval-outcome-offences = Offences per month
eval-outcome-group = { $group } per month
eval-outcome-appeals = Appeals per month
eval-outcome-days = Median days to answer an appeal
eval-outcome-overdue = Share of appeals answered late
eval-outcome-survey = Survey: { $index }
eval-not-estimable = { $outcome }: not enough data to estimate.
eval-sentence = { $outcome }: in the pilot, { $estimate } compared with the controls after the start (95% interval { $low } to { $high }, { $method }).
eval-verdict-unclear = The data cannot tell this apart from no change.
eval-verdict-better = The change is clearer than chance, and for the better.
eval-verdict-worse = The change is clearer than chance, and for the worse.
eval-interval-randomisation = randomisation over quadrants
eval-interval-bootstrap = wild cluster bootstrap
eval-interval-cluster = cluster-robust
eval-row-estimate = Difference in differences
eval-row-bootstrap-p = Bootstrap p-value
eval-row-randomisation-p = Randomisation p-value
eval-ri-p = { $p } (over { $count } assignments)
eval-row-units = Data
eval-units = { $pilots } pilot and { $controls } control quadrants, { $months } months
eval-warn-single = Only one pilot quadrant: cluster-robust and bootstrap intervals are unreliable; read the randomisation result.
eval-warn-few-treated = Only { $count } pilot quadrants: prefer the randomisation result.
eval-warn-few-controls = Only { $count } control quadrants: the comparison rests on very few areas.
eval-warn-few-clusters = Only { $count } quadrants in all: intervals rest on few areas.
eval-warn-disconnected = The data fall into { $count } separate groups that share no quadrant or month.
eval-warn-ri-floor = With so few quadrants the randomisation test cannot go below p = { $p }: it cannot show an effect at the 5% level, however large.
eval-warn-bootstrap-floor = The bootstrap has too few distinct draws to go below p = { $p }.
eval-warn-pretrend-unavailable = The pre-trend test could not be computed (too few quadrants for the months before the start).
eval-event-title = { $outcome }: the difference month by month
eval-event-desc = The pilot-minus-control difference in each month relative to the month before the start, with 95% intervals. Before the start the points should hover around zero.
eval-months-since = Months since the start
eval-difference = Difference from the month before the start
eval-start = start
eval-no-event-study = Too few months before the start to draw the month-by-month difference.
eval-pretrend-holds = Before the start, pilot and controls moved alike (joint test p = { $p }): the comparison is plausible.
eval-pretrend-fails = Before the start, pilot and controls already moved differently (joint test p = { $p }): read the estimate with caution.
eval-panel-title = { $outcome }: pilot and controls
eval-panel-desc = The monthly mean of the pilot quadrants and of the control quadrants, with the start marked.
eval-pilot-mean = Pilot
eval-control-mean = Controls (mean)
eval-limit-design = The pilot was not chosen at random: { $pilots } pilot quadrant(s) are compared with { $controls } control quadrants.
eval-limit-parallel = The estimate assumes that without the pilot, the pilot quadrants would have changed like the controls; the month-by-month chart shows whether that held before the start.
eval-limit-concurrent = Anything else that changed in the pilot at the same time (lighting, new housing, other programmes) is counted as the pilot's effect.
eval-limit-reporting = Recorded offences and appeals depend on people reporting them; a pilot that builds trust can raise reporting while crime falls.
eval-limit-survey = Survey indices are estimates from samples: their own intervals add to the uncertainty.
eval-wdq-title = Displacement around the pilot
eval-wdq-pilot = Pilot, offences before → after
eval-wdq-buffer = Buffer ({ $metres } m), offences before → after
eval-wdq-control = Controls, offences before → after
eval-wdq-success = Success measure
eval-wdq-buffer-measure = Buffer measure
eval-wdq-quotient = Weighted displacement quotient
eval-wdq-net = Total net effect (offences)
eval-wdq-window = Equal windows of { $months } months before and after the start.
eval-wdq-diffusion-greater = The buffer improved even more than the pilot: benefits spread beyond it.
eval-wdq-diffusion = The buffer improved too: benefits spread beyond the pilot.
eval-wdq-none = The buffer changed like the controls: no displacement and no spread of benefits.
eval-wdq-displacement-smaller = Some offences may have moved to the buffer, fewer than the pilot gained.
eval-wdq-displacement-greater = More offences may have moved to the buffer than the pilot gained.
eval-wdq-no-success = The pilot did not improve relative to the controls, so displacement cannot be read.
eval-wdq-empty-control = The controls have no offences in a window, so the quotient cannot be computed.
eval-pre = before the start
eval-post = after the start
eval-reference = reference month (0 by definition)
eval-sentence-unbounded = { $outcome }: in the pilot, { $estimate } compared with the controls after the start (cluster-robust interval { $low } to { $high }, not reliable with so few pilot quadrants).
eval-survey-title = Survey answers: pilot against controls
eval-survey-heading = From respondents' answers, wave "{ $from }" against wave "{ $to }". These intervals count sampling error only, not shocks that hit one quadrant alone.
eval-survey-did = { $outcome }: { $pilot } in the pilot and { $control } in the controls between the waves; the difference is { $estimate } (95% interval { $low } to { $high }).
portal-nav-survey = Safety survey
survey-open-title = Surveys of residents
survey-open-intro = The police and the akimat ask residents how safe they feel and how they rate the police and other services in their quadrant. Answers are anonymous and take about five minutes.
survey-none-open = No survey is open right now.
eval-ri-note = With only { $count } ways to choose the pilot among these quadrants, randomisation over quadrants cannot give a 95% interval: the smallest possible p-value is { $p }. On the monthly outcomes below the data cannot show an effect at the 5% level, however large.
eval-pretrend-single = With one pilot quadrant the joint test of the months before the start is not reliable: judge by eye whether the points before the start hover around zero.
survey-shares = Answers to each question
survey-shares-help = The weighted share of those asked who chose each answer, with its 95% interval; several answers can be chosen where the question allows.
survey-col-answer = Answer
survey-problem-unknown-district = The city has no district { $code }.
eval-synthetic-waves = The survey answers are synthetic too.
survey-outside-dates = This survey takes answers from { $from } to { $to }.
survey-problem-expr-char = unexpected character «{ $value }»
survey-problem-expr-reference = a question is referred to as { "${name}" }
survey-problem-expr-unexpected = «{ $value }» is not expected here
survey-problem-expr-end = the condition ends too early
survey-problem-expr-arguments = { $value } takes { $expected } argument(s), not { $found }
survey-problem-expr-bare = «{ $value }» is not supported here: refer to questions as { "${name}" }
