app-title = Сақшы — сервисная модель полиции
index-intro = Квадранты, участковые инспекторы и пункты полиции города { $city }.
index-locate = Найти участкового по своему адресу
index-lat = Широта
index-lon = Долгота
index-submit = Найти
index-api = Открытый API
index-illustrative = Демонстрационный город: границы и данные приведены для примера.
error-missing-field = Поле «{ $field }» обязательно.
error-not-a-number = Поле «{ $field }» должно быть числом, получено «{ $value }».
error-out-of-range = Поле «{ $field }» должно быть от { $min } до { $max }, получено { $value }.
error-outside-quadrants = Эта точка не входит ни в один квадрант. Ближайший квадрант — { $quadrant }, в { $distance } м.
error-no-quadrants = Эта точка не входит ни в один квадрант, а квадранты ещё не загружены.
error-not-found = { $what }: не найдено.
error-no-city = Город ещё не загружен: сначала импортируйте территории.
error-internal = Внутренняя ошибка. Повторите попытку позже.
error-bad-query = Неверные параметры запроса: { $detail }
intake-divert = Это нельзя ставить в очередь: звоните прямо сейчас { $numbers }. Обращение не зарегистрировано.
intake-unknown-category = Категории «{ $value }» нет.
intake-empty-description = Опишите проблему.
intake-description-too-long = В описании { $chars } знаков; допускается не более { $max }.
intake-contact-required = Для этой категории нужны имя и телефон или электронная почта: анонимные обращения рассматриваются, только если сообщают о преступлении.
intake-consent-required = Если вы указываете контакты, нужно согласие на обработку персональных данных.
intake-outside-city = Эта точка за пределами города. Ближайший квадрант — { $quadrant }, в { $distance } м.
intake-unknown-point = Пункта полиции «{ $value }» нет.
intake-empty-address = Адрес пуст.
intake-no-routing = Категории обращений ещё не загружены.
intake-bad-body = Тело запроса неверно: { $detail }
intake-idempotency-conflict = Этот Idempotency-Key уже использован для другого запроса.
error-tracking-not-found = Обращение с таким кодом отслеживания не найдено.
staff-unauthorized = Нужен вход: передайте API-токен в заголовке «Authorization: Bearer …».
staff-forbidden-role = Роль «{ $role }» не может: { $what }.
staff-forbidden-scope = Это обращение вне вашей зоны ({ $scope }).
staff-appeal-not-found = Обращение { $receipt } не найдено.
workflow-forbidden = { $actor } не может выполнить «{ $action }» с этим обращением.
workflow-no-task = У обращения нет задачи органа { $agency }.
workflow-invalid-transition = Действие «{ $action }» невозможно из состояния «{ $state }».
workflow-missing-text = Нужно указать: { $what }.
workflow-bad-extension = Новый срок { $due } должен быть позже { $current } и не позднее { $limit } (два месяца с регистрации).
workflow-bad-redirect = Нельзя перенаправить в { $agency }: это тот же орган или у него уже есть открытая задача.
workflow-reopen-over = Срок для несогласия с ответом истёк { $date }.
feedback-not-answered = Оценить можно только после ответа.
feedback-bad-rating = Оценка — целое число от 1 до 5.
feedback-too-long = Комментарий слишком длинный: не более { $max } знаков.
notify-subject = Обращение { $receipt }: { $kind ->
    [registered] зарегистрировано
    [redirected] перенаправлено в другой орган
    [extended] срок продлён
    [answered] дан ответ
    [reopened] открыто повторно
    [escalated] срок истёк
   *[closed] закрыто
    }
notify-body = Обращение { $receipt }. Состояние: { $state }. Срок ответа: { $due }.
notify-comment = Комментарий: { $comment }
notify-footer = Письмо отправлено автоматически; не отвечайте на него. Следите за обращением по коду отслеживания.
workflow-not-overdue = Срок задачи не истёк, или о нём уже сообщено.
admin-invalid-file = В файле ошибок: { $chars }; ничего не изменено.
photo-not-image = Фото { $value } — не изображение JPEG, PNG или WebP.
photo-too-large = Фото { $value } слишком большое.
photo-too-many = Не более { $max } фото.
