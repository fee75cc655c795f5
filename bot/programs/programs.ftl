program-none = программа ещё не составлена
program-sent = Программа отправлена наставляемому на подтверждение; куратор её видит.
program-to-confirm = Наставник составил (или изменил) персонализированную программу вашей пары. Откройте её и подтвердите, если согласны.
program-sent-notice = Наставник отправил программу пары на подтверждение наставляемому.
program-confirmed-notice = Программа наставничества подтверждена наставляемым.
program-confirmed = Спасибо! Программа подтверждена.
program-not-proposed = Подтверждать пока нечего: программа не отправлена или уже подтверждена.
program-missing = Программа ещё не составлена.
program-doc-title = Персонализированная программа наставничества
program-doc-mentor = Наставник
program-doc-mentees = Наставляемый(е)
program-doc-form = Форма наставничества
program-doc-kind = Вид
program-doc-term = Срок реализации
program-doc-goals = Цели
program-doc-plan = Индивидуальный план развития
program-doc-signatures = Наставник ______________      Наставляемый ______________      Куратор ______________
program-status = { $status ->
    [draft] черновик у наставника
    [proposed] ждёт подтверждения наставляемого
   *[confirmed] подтверждена
 }
program-doc-column-number = №
program-doc-column-topic = Тема
program-doc-column-content = Содержание
program-doc-column-deadline = Срок
program-doc-column-result = Ожидаемый результат
program-term = { $start ->
    [none] { $months } { $months ->
        [one] месяц
        [few] месяца
       *[other] месяцев
    }
   *[other] с { $start }, { $months } { $months ->
        [one] месяц
        [few] месяца
       *[other] месяцев
    }
 }
