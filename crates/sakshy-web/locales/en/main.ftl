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
