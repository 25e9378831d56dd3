# frozen_string_literal: true

module Billing
  # One line of an invoice.
  #
  # kind        :renewal (a whole period, billed in advance), :credit (the unused rest of the
  #             period on the configuration that was replaced; negative) or :charge (the rest
  #             of the period on the new configuration)
  # plan_code   the plan the line is for
  # seats       the number of seats the line is for
  # starts_on   first day the line covers
  # ends_on     the day after the last day it covers (the next period's start)
  # amount_cents
  Line = Struct.new(:kind, :plan_code, :seats, :starts_on, :ends_on, :amount_cents,
                    keyword_init: true)

  # An invoice as issued on one day.
  #
  # total_cents           the sum of the lines (negative when credits outweigh charges)
  # credit_applied_cents  account credit used to pay this invoice (never negative)
  # amount_due_cents      what the customer is asked to pay (never negative)
  # balance_after_cents   account credit left once this invoice is issued
  Invoice = Struct.new(:issued_on, :lines, :total_cents, :credit_applied_cents,
                       :amount_due_cents, :balance_after_cents, keyword_init: true)
end
