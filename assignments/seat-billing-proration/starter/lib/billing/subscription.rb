# frozen_string_literal: true

module Billing
  # A customer's subscription: a plan and a number of seats from a start date, changed or
  # cancelled over time, billed monthly in advance on the start date's day of the month.
  #
  # The README has the rules. This is the public interface the invoicing job will call;
  # everything behind it is yours to design.
  class Subscription
    attr_reader :starts_on

    # plan: a Billing::Plan; seats: a positive Integer; starts_on: a Date.
    def initialize(plan:, seats:, starts_on:)
      @plan = plan
      @seats = seats
      @starts_on = starts_on
    end

    # Switches plan, seats or both from the start of `on` (a Date). Returns self.
    def change(on:, plan: nil, seats: nil)
      raise NotImplementedError, "Subscription#change"
    end

    # Ends the subscription from the start of `on` (a Date). Returns self.
    def cancel(on:)
      raise NotImplementedError, "Subscription#cancel"
    end

    # Every invoice issued on or before `date`, oldest first: an Array of Billing::Invoice.
    def invoices_through(date)
      raise NotImplementedError, "Subscription#invoices_through"
    end
  end
end
